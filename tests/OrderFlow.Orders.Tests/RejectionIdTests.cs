using System.Security.Cryptography;
using System.Text;
using OrderFlow.Json;

namespace OrderFlow.Orders.Tests;

/// <summary>
/// Rejection ids are stored (one DLQ message per rejection, however often a file is processed), so their definition
/// must never change: the first 20 bytes of the SHA-256 of <c>"{bucket}/{key}#{position}|{contentHash}"</c>, in hex.
/// </summary>
public class RejectionIdTests
{
    [Theory]
    [InlineData("""{"bucket":"orderflow-inbox","key":"orders.jsonl","position":7}""", "orderflow-inbox/orders.jsonl#7|")]
    [InlineData("""{"bucket":"b","key":"dossier/commandes-été.csv","position":123456789}""", "b/dossier/commandes-été.csv#123456789|")]
    [InlineData("""{"bucket":"b","key":"k"}""", "b/k#|")]
    [InlineData("""{"key":"k","position":0}""", "/k#0|")]
    [InlineData("null", "|")]
    public void RejectionId_Source_IsTheHashOfTheDocumentedText(string source, string prefix)
    {
        const string hash = "0123456789abcdef0123456789abcdef";
        var parsed = JsonValue.Parse(source);

        var id = ValidateOrderFunction.RejectionId(parsed is JsonNull ? null : parsed, hash);

        var expected = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(prefix + hash)))[..40].ToLowerInvariant();
        Assert.Equal(expected, id);
    }
}
