using System.Text.Json;

namespace OrderFlow.Orders;

public static partial class OrderFileCheck
{
    /// <summary>
    /// Counts the orders of a JSON document as the pipeline reads them: the elements of a top-level array, or of the
    /// array under the top-level <c>orders</c> member (the seed's shape). Carried across the chunks of the file.
    /// </summary>
    private sealed class ItemCount
    {
        private int _itemsDepth = -1;
        private bool _ordersNext;
        private JsonTokenType _document = JsonTokenType.None;
        private JsonTokenType _orders = JsonTokenType.None;

        public long Items { get; private set; }

        /// <summary>
        /// Why the document holds no array of orders the pipeline finds, or null when it does.
        /// <paramref name="headNamesOrders"/>: the file's first <see cref="HeadBytes"/> bytes hold <c>"orders"</c>.
        /// </summary>
        public string? ShapeFault(bool headNamesOrders)
        {
            const string Expected = "a .json order file holds an array of orders, or an object with an \"orders\" array (the seed's shape)";
            return _document switch
            {
                JsonTokenType.StartArray => null,
                JsonTokenType.StartObject when _itemsDepth >= 0 && !headNamesOrders =>
                    $"the \"orders\" member of a .json order file must be named within its first {HeadBytes} bytes, where the pipeline looks for it: put it before the other members",
                JsonTokenType.StartObject when _itemsDepth >= 0 => null,
                JsonTokenType.StartObject when _orders != JsonTokenType.None => $"{Expected}, but its \"orders\" member is {Kind(_orders)}",
                JsonTokenType.StartObject => $"{Expected}, but this object has no \"orders\" member",
                _ => $"{Expected}, but this one holds {Kind(_document)}",
            };
        }

        private static string Kind(JsonTokenType token) => token switch
        {
            JsonTokenType.StartObject => "an object",
            JsonTokenType.StartArray => "an array",
            JsonTokenType.String => "a string",
            JsonTokenType.Number => "a number",
            JsonTokenType.True or JsonTokenType.False => "a boolean",
            _ => "null",
        };

        public void See(ref Utf8JsonReader reader)
        {
            var depth = reader.CurrentDepth;
            if (depth == 0 && _document == JsonTokenType.None)
            {
                _document = reader.TokenType;
            }
            if (_ordersNext && depth == 1 && reader.TokenType is not (JsonTokenType.Comment or JsonTokenType.PropertyName))
            {
                _orders = reader.TokenType;
            }
            switch (reader.TokenType)
            {
                case JsonTokenType.StartArray when depth == 0 && Items == 0 && _itemsDepth < 0:
                    _itemsDepth = 1;
                    return;
                case JsonTokenType.PropertyName when depth == 1 && _itemsDepth < 0:
                    _ordersNext = reader.ValueTextEquals("orders"u8);
                    return;
                case JsonTokenType.StartArray when depth == 1 && _ordersNext:
                    _itemsDepth = 2;
                    _ordersNext = false;
                    return;
                case JsonTokenType.EndArray when depth == _itemsDepth - 1:
                    _itemsDepth = int.MaxValue; // the items' array has ended: nothing after it counts
                    return;
                case JsonTokenType.EndObject or JsonTokenType.EndArray or JsonTokenType.PropertyName or JsonTokenType.Comment:
                    return;
                default:
                    _ordersNext = false;
                    if (depth == _itemsDepth)
                    {
                        Items++;
                    }
                    return;
            }
        }
    }
}
