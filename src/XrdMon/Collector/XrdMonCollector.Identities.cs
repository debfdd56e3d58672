using Toolkit.XrdMon.Streams;

namespace Toolkit.XrdMon.Collector;

public sealed partial class XrdMonCollector
{
    /// <summary>Slots an identity may take in <see cref="_identities"/> (consecutive keys from its hash), so that two identities whose hashes meet both stay findable.</summary>
    private const int IdentityProbes = 4;

    /// <summary>Identity hashes indexed (at most <see cref="XrdMonCollectorOptions.MaxUsers"/>).</summary>
    public int IdentityCount => _identities.Count;

    /// <summary>
    /// Indexes a logged-in user by its identity text (an <c>i</c> record names its user only by that text): the key is
    /// (instance, 32 bits of the text's hash, plus a probe of 0..3), the value the user dictid. The latest login of an
    /// identity takes its slot (a reconnect from the same client process repeats the text); otherwise the first free
    /// slot, or one whose user is gone; when all four hold other live users, the first is overwritten.
    /// </summary>
    private void IndexIdentity(int instance, uint dictid, XrdMonUser user)
    {
        DictidKey free = default;
        bool haveFree = false;
        for (uint p = 0; p < IdentityProbes; p++)
        {
            DictidKey slot = IdentitySlot(instance, user.IdentityHash, p);
            if (!_identities.TryPeek(slot, out uint held)
                || !_users.TryPeek(new DictidKey(instance, held), out XrdMonUser? other))
            {
                if (!haveFree)
                {
                    free = slot;
                    haveFree = true;
                }

                continue;
            }

            if (held == dictid || other.IdentityHash == user.IdentityHash)
            {
                _identities.Set(slot, dictid, _now);
                return;
            }
        }

        _identities.Set(haveFree ? free : IdentitySlot(instance, user.IdentityHash, 0), dictid, _now);
    }

    /// <summary>The live user whose identity text has this hash, or null.</summary>
    private XrdMonUser? UserByIdentity(int instance, ulong hash)
    {
        for (uint p = 0; p < IdentityProbes; p++)
        {
            if (_identities.TryGet(IdentitySlot(instance, hash, p), _now, out uint dictid)
                && _users.TryGet(new DictidKey(instance, dictid), _now, out XrdMonUser? user)
                && user.IdentityHash == hash)
            {
                return user;
            }
        }

        return null;
    }

    /// <summary>Drops the index entry of a user that goes.</summary>
    private void UnindexIdentity(DictidKey user, ulong hash)
    {
        for (uint p = 0; p < IdentityProbes; p++)
        {
            DictidKey slot = IdentitySlot(user.Instance, hash, p);
            if (_identities.TryPeek(slot, out uint held) && held == user.Dictid)
            {
                _identities.Remove(slot, out _);
                return;
            }
        }
    }

    private static DictidKey IdentitySlot(int instance, ulong hash, uint probe) => new(instance, (uint)(hash ^ (hash >> 32)) + probe);
}
