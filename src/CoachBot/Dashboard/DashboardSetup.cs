using CoachBot.Core.Commands;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CoachBot.Dashboard;

internal static class DashboardSetup
{
    /// <summary>
    /// The <c>Dashboard</c> section (validated at start), the web server that runs when <c>Dashboard:Urls</c> is set, and
    /// the sign-in links of <c>/coach dashboard</c> (which say the dashboard is off when it is).
    /// </summary>
    public static IServiceCollection AddCoachBotDashboard(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DashboardOptions>, DashboardOptionsValidator>());
        services.AddSingleton<DashboardServer>();
        services.AddHostedService(provider => provider.GetRequiredService<DashboardServer>());
        services.AddSingleton<IDashboardLinks, DashboardLinks>();
        services.AddSingleton<ICalendarLinks, CalendarLinks>();
        return services;
    }
}
