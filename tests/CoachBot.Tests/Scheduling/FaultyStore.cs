using System.Reflection;
using System.Runtime.ExceptionServices;
using CoachBot.Core.Storage;

namespace CoachBot.Tests.Scheduling;

/// <summary>
/// A store (<see cref="ICoachStore"/> or <see cref="IDeliveryOutbox"/>) that forwards every call to a real one, except
/// the calls its predicate picks, which throw as a bug or a bad row would. Public and unsealed because
/// <see cref="DispatchProxy"/> derives from it.
/// </summary>
public class FaultyStore : DispatchProxy
{
    private object _inner = null!;
    private Func<string, object?[], bool> _fails = (_, _) => false;

    /// <summary>How many calls were made to fail.</summary>
    public int Injected { get; private set; }

    /// <typeparam name="TStore">The interface to wrap (name it: the real store implements both).</typeparam>
    /// <param name="fails">Given the method name and arguments: true to throw instead of forwarding.</param>
    public static TStore Wrap<TStore>(TStore inner, Func<string, object?[], bool> fails)
        where TStore : class
    {
        var store = Create<TStore, FaultyStore>();
        var proxy = (FaultyStore)(object)store;
        proxy._inner = inner;
        proxy._fails = fails;
        return store;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (_fails(targetMethod.Name, args ?? []))
        {
            Injected++;
            throw new InvalidOperationException($"Injected failure in {targetMethod.Name}.");
        }

        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException wrapped) when (wrapped.InnerException is { } inner)
        {
            ExceptionDispatchInfo.Throw(inner);
            throw;
        }
    }
}
