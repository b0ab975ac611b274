using System.Xml.Linq;
using CoachBot.Core.Storage;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace CoachBot.Dashboard;

/// <summary>
/// Keeps the keys that protect the dashboard's cookies and forms in CoachBot's own database, so sessions survive a
/// restart and every process on one PostgreSQL database reads the others' cookies. Data Protection calls this rarely
/// (at start and when a key rolls over, about every 90 days) and synchronously, hence the blocking waits.
/// </summary>
internal sealed class StoreXmlRepository(IDashboardStore store) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() =>
        [.. store.GetDataProtectionKeysAsync(CancellationToken.None).GetAwaiter().GetResult().Select(xml => XElement.Parse(xml))];

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        store.StoreDataProtectionKeyAsync(friendlyName, element.ToString(SaveOptions.DisableFormatting), CancellationToken.None).GetAwaiter().GetResult();
    }
}
