-- Whether the server's weekly digest goes without its chart (`/coach chart on:false`); false means the chart is attached.
ALTER TABLE server_settings ADD COLUMN digest_chart_off boolean NOT NULL DEFAULT false;
