using System.Security.Cryptography;
using System.Text;
using OrderFlow.Json;

namespace OrderFlow.Orders.Tests;

/// <summary>
/// Rejection ids are stored (one DLQ message per rejection, however often a file is processed), so their definition
/// must not change: <c>"{file}#{position}|{contentHash}"</c>, <c>file</c> the first 20 hex digits of the SHA-256 of
/// <c>"{bucket}/{key}"</c>, the position in at least 12 digits.
/// </summary>
public class RejectionIdTests
{
    private const string Hash = "0123456789abcdef0123456789abcdef";

    private static string FileTag(string file) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(file)))[..20].ToLowerInvariant();

    [Theory]
    [InlineData("""{"bucket":"orderflow-inbox","key":"orders.jsonl","position":7}""", "orderflow-inbox/orders.jsonl", "#000000000007|")]
    [InlineData("""{"bucket":"b","key":"dossier/commandes-été.csv","position":123456789}""", "b/dossier/commandes-été.csv", "#000123456789|")]
    [InlineData("""{"bucket":"b","key":"k","position":1234567890123}""", "b/k", "#1234567890123|")]
    [InlineData("""{"bucket":"b","key":"k"}""", "b/k", "#|")]
    [InlineData("""{"key":"k","position":0}""", "/k", "#000000000000|")]
    [InlineData("""{"bucket":"b","key":"k","position":"7"}""", "b/k", "#\"7\"|")]
    public void RejectionId_Source_IsTheDocumentedText(string source, string file, string middle)
    {
        var id = ValidateOrderFunction.RejectionId(JsonValue.Parse(source), Hash);

        Assert.Equal(FileTag(file) + middle + Hash, id);
    }

    [Fact]
    public void RejectionId_NoSource_IsTheContentHashAlone()
    {
        Assert.Equal("|" + Hash, ValidateOrderFunction.RejectionId(null, Hash));
    }

    [Fact]
    public void RejectionId_LongestS3Key_SameLengthAsAnyOther()
    {
        var longKey = JsonValue.Parse($$"""{"bucket":"orderflow-inbox","key":"{{new string('k', 1024)}}","position":7}""");
        var shortKey = JsonValue.Parse("""{"bucket":"b","key":"k","position":7}""");

        Assert.Equal(66, ValidateOrderFunction.RejectionId(longKey, Hash).Length);
        Assert.Equal(66, ValidateOrderFunction.RejectionId(shortKey, Hash).Length);
    }

    [Fact]
    public void RejectionId_PositionsOfOneFile_SortInFileOrder()
    {
        var source = (int position) => JsonValue.Parse($$"""{"bucket":"b","key":"orders.jsonl","position":{{position}}}""");
        int[] positions = [0, 1, 9, 10, 99, 100, 12345, 999_999];

        var ids = positions.Select(p => ValidateOrderFunction.RejectionId(source(p), Hash)).ToList();

        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
    }

    [Fact]
    public void RejectionId_DifferentFilePositionOrContent_Differs()
    {
        var at7 = JsonValue.Parse("""{"bucket":"b","key":"k","position":7}""");
        var at70 = JsonValue.Parse("""{"bucket":"b","key":"k","position":70}""");
        var otherFile = JsonValue.Parse("""{"bucket":"b","key":"k2","position":7}""");
        var id = ValidateOrderFunction.RejectionId(at7, Hash);

        Assert.NotEqual(id, ValidateOrderFunction.RejectionId(at70, Hash));
        Assert.NotEqual(id, ValidateOrderFunction.RejectionId(otherFile, Hash));
        Assert.NotEqual(id, ValidateOrderFunction.RejectionId(at7, "f" + Hash[1..]));
        Assert.Equal(id, ValidateOrderFunction.RejectionId(at7, Hash)); // the file's tag kept from the order before
    }
}
