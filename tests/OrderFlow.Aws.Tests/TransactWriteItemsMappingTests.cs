using OrderFlow.Json;

namespace OrderFlow.Aws.Tests;

/// <summary>
/// TransactWriteItems actions in the DynamoDB API's JSON, as the pipeline's batch store sends them, become the AWS SDK's
/// request objects unchanged. (dynalite has no transactions, so the protocol-peer tests see the pipeline fall back to
/// one write per order there; this checks the request itself.)
/// </summary>
public sealed class TransactWriteItemsMappingTests
{
    [Fact]
    public void TransactItem_InsertOnlyPut_KeepsTableItemAndCondition()
    {
        var action = AwsTables.TransactItem(JsonValue.Parse("""
            {"Put":{"TableName":"orders","Item":{"OrderId":{"S":"A-1"},"qty":{"S":"2"}},"ConditionExpression":"attribute_not_exists(OrderId)"}}
            """));

        Assert.NotNull(action.Put);
        Assert.Null(action.Delete);
        Assert.Equal("orders", action.Put.TableName);
        Assert.Equal("attribute_not_exists(OrderId)", action.Put.ConditionExpression);
        Assert.Equal("A-1", action.Put.Item["OrderId"].S);
        Assert.Equal("2", action.Put.Item["qty"].S);
    }

    [Fact]
    public void TransactItem_UpdateDeleteAndConditionCheck_KeepTheirExpressions()
    {
        var update = AwsTables.TransactItem(JsonValue.Parse("""
            {"Update":{"TableName":"t","Key":{"id":{"S":"1"}},"UpdateExpression":"SET #n = :v","ExpressionAttributeNames":{"#n":"name"},"ExpressionAttributeValues":{":v":{"N":"5"}}}}
            """));
        var delete = AwsTables.TransactItem(JsonValue.Parse("""{"Delete":{"TableName":"t","Key":{"id":{"S":"2"}}}}"""));
        var check = AwsTables.TransactItem(JsonValue.Parse("""{"ConditionCheck":{"TableName":"t","Key":{"id":{"S":"3"}},"ConditionExpression":"attribute_exists(id)"}}"""));

        Assert.Equal("SET #n = :v", update.Update.UpdateExpression);
        Assert.Equal("name", update.Update.ExpressionAttributeNames["#n"]);
        Assert.Equal("5", update.Update.ExpressionAttributeValues[":v"].N);
        Assert.Equal("2", delete.Delete.Key["id"].S);
        Assert.Equal("attribute_exists(id)", check.ConditionCheck.ConditionExpression);
    }

    [Theory]
    [InlineData("""{"Upsert":{"TableName":"t"}}""")]
    [InlineData("""{"Put":{"TableName":"t"},"Delete":{"TableName":"t"}}""")]
    [InlineData("""[]""")]
    public void TransactItem_NotExactlyOneKnownAction_IsRejected(string entry) =>
        Assert.Throws<FormatException>(() => AwsTables.TransactItem(JsonValue.Parse(entry)));
}
