-- Whether the server's weekly digest goes without its chart (`/coach chart on:false`); 0 means the chart is attached.
ALTER TABLE server_settings ADD COLUMN digest_chart_off INTEGER NOT NULL DEFAULT 0;
