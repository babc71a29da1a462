using System.Net;
using System.Net.Sockets;
using OrderFlow.Json;

namespace OrderFlow.Events.Patterns;

/// <summary><c>{"cidr": "10.0.0.0/24"}</c> or an IPv6 block: holds for a string IP address inside the block.</summary>
internal sealed class CidrCondition : Condition
{
    private readonly byte[] _network;
    private readonly int _prefixLength;
    private readonly AddressFamily _family;

    private CidrCondition(byte[] network, int prefixLength, AddressFamily family)
    {
        _network = network;
        _prefixLength = prefixLength;
        _family = family;
    }

    public static bool TryParse(string text, out CidrCondition condition)
    {
        condition = null!;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || !IPAddress.TryParse(text.AsSpan(0, slash), out var address)
            || !int.TryParse(text.AsSpan(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var length))
        {
            return false;
        }
        var bytes = address.GetAddressBytes();
        if (length < 0 || length > bytes.Length * 8)
        {
            return false;
        }
        condition = new CidrCondition(Mask(bytes, length), length, address.AddressFamily);
        return true;
    }

    public override bool Matches(JsonValue scalar)
    {
        if (scalar is not JsonString s || !IPAddress.TryParse(s.Value, out var address))
        {
            return false;
        }
        if (address.IsIPv4MappedToIPv6 && _family == AddressFamily.InterNetwork)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != _family)
        {
            return false;
        }
        var masked = Mask(address.GetAddressBytes(), _prefixLength);
        return masked.AsSpan().SequenceEqual(_network);
    }

    private static byte[] Mask(byte[] bytes, int prefixLength)
    {
        var result = (byte[])bytes.Clone();
        for (var i = 0; i < result.Length; i++)
        {
            var bits = Math.Clamp(prefixLength - (i * 8), 0, 8);
            result[i] &= (byte)(0xFF << (8 - bits));
        }
        return result;
    }
}
