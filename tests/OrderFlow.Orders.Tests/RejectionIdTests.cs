using OrderFlow.Json;

namespace OrderFlow.Orders.Tests;

/// <summary>
/// Rejection ids are stored (one DLQ message per rejection, however often a file is processed), so their definition
/// must not change: <c>"{bucket}/{key}#{position}|{contentHash}"</c>, the position in at least 12 digits.
/// </summary>
public class RejectionIdTests
{
    private const string Hash = "0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("""{"bucket":"orderflow-inbox","key":"orders.jsonl","position":7}""", "orderflow-inbox/orders.jsonl#000000000007|")]
    [InlineData("""{"bucket":"b","key":"dossier/commandes-été.csv","position":123456789}""", "b/dossier/commandes-été.csv#000123456789|")]
    [InlineData("""{"bucket":"b","key":"k","position":1234567890123}""", "b/k#1234567890123|")]
    [InlineData("""{"bucket":"b","key":"k#000000000001|x","position":0}""", "b/k#000000000001|x#000000000000|")]
    [InlineData("""{"bucket":"b","key":"k"}""", "b/k#|")]
    [InlineData("""{"key":"k","position":0}""", "/k#000000000000|")]
    [InlineData("""{"bucket":"b","key":"k","position":"7"}""", "b/k#\"7\"|")]
    [InlineData("null", "|")]
    public void RejectionId_Source_IsTheDocumentedText(string source, string prefix)
    {
        var parsed = JsonValue.Parse(source);

        var id = ValidateOrderFunction.RejectionId(parsed is JsonNull ? null : parsed, Hash);

        Assert.Equal(prefix + Hash, id);
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
    public void RejectionId_DifferentPositionOrContent_Differs()
    {
        var at7 = JsonValue.Parse("""{"bucket":"b","key":"k","position":7}""");
        var at70 = JsonValue.Parse("""{"bucket":"b","key":"k","position":70}""");

        Assert.NotEqual(ValidateOrderFunction.RejectionId(at7, Hash), ValidateOrderFunction.RejectionId(at70, Hash));
        Assert.NotEqual(ValidateOrderFunction.RejectionId(at7, Hash), ValidateOrderFunction.RejectionId(at7, "f" + Hash[1..]));
    }
}
