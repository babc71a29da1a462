using System.Globalization;
using Bogus;

namespace OrderFlow.Cli.Generation;

/// <summary>Every way a generated order can be invalid; each is one violation the validator reports.</summary>
internal enum Defect
{
    None,
    MissingContactInfo,
    MissingOrderId,
    OrderIdTooLong,
    MissingItemId,
    ZeroQuantity,
    NonNumericQuantity,
    MissingName,
    MissingEmail,
    InvalidEmail,
    UnknownCurrency,
    MalformedCurrency,
    UnknownCountry,
    InvalidStatus,
    InvalidOrderDate,
    NegativeUnitPrice,
    InvalidPhone,
}

/// <summary>One generated order, flat (the CSV columns); <see langword="null"/> means the field is absent.</summary>
internal sealed record GeneratedOrder(
    string? OrderId, string? ItemId, string ItemDesc, string? Qty, string UnitPrice, string Currency, string OrderDate, string Status,
    string? Name, string? Email, string? Phone, string Country, bool HasContactInfo, Defect Defect);

/// <summary>
/// Realistic orders (Bogus), reproducible for a given seed. Exactly ⌊N × invalid-rate⌋ of N orders are invalid, spread
/// evenly through the file; their defects cycle through every <see cref="Defect"/>, so every kind the validator knows appears.
/// </summary>
internal sealed class OrderGenerator
{
    public static readonly Defect[] Defects = [.. Enum.GetValues<Defect>().Where(d => d != Defect.None)];

    // Country and the currency its customers pay in; every one is a valid ISO 3166-1 / ISO 4217 code.
    private static readonly (string Country, string Currency)[] Markets =
    [
        ("US", "USD"), ("DE", "EUR"), ("FR", "EUR"), ("GB", "GBP"), ("NL", "EUR"), ("ES", "EUR"), ("IT", "EUR"), ("CA", "CAD"),
        ("AU", "AUD"), ("JP", "JPY"), ("CH", "CHF"), ("SE", "SEK"), ("PL", "PLN"), ("IN", "INR"), ("BR", "BRL"), ("MX", "MXN"),
    ];

    private static readonly string[] Statuses = ["placed", "paid", "paid", "shipped", "delivered", "delivered", "cancelled", "returned"];
    private static readonly DateTime FirstDay = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly Faker _faker;
    private readonly double _invalidRate;
    private readonly string _idPrefix;
    private readonly string[] _products;

    // Random OrderIds come from their own source, so that every other field is the same with or without them.
    private readonly Random? _ids;

    /// <param name="randomIds">OrderIds of 32 random hex digits after the prefix (as UUID-keyed shops have) instead of a running number.</param>
    public OrderGenerator(int seed, double invalidRate, string idPrefix, bool randomIds = false)
    {
        _faker = new Faker("en") { Random = new Randomizer(seed) };
        _invalidRate = invalidRate;
        _idPrefix = idPrefix;
        _ids = randomIds ? new Random(unchecked((seed * 31) + 7)) : null;
        // A catalogue of 500 products: orders repeat items, as real shops' do.
        _products = [.. Enumerable.Range(0, 500).Select(_ => _faker.Commerce.ProductName())];
    }

    /// <summary>The number of invalid orders among the first <paramref name="count"/>.</summary>
    public static long InvalidCount(long count, double invalidRate) => (long)Math.Floor(count * invalidRate + 1e-9);

    public IEnumerable<GeneratedOrder> Generate(long count)
    {
        long invalid = 0;
        for (long i = 1; i <= count; i++)
        {
            var defect = InvalidCount(i, _invalidRate) > invalid ? Defects[invalid++ % Defects.Length] : Defect.None;
            yield return Next(i, defect);
        }
    }

    private static string RandomHex(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    private GeneratedOrder Next(long number, Defect defect)
    {
        var f = _faker;
        var (country, currency) = f.PickRandom(Markets);
        var first = f.Name.FirstName();
        var last = f.Name.LastName();
        var product = f.Random.Int(0, _products.Length - 1);
        var order = new GeneratedOrder(
            OrderId: _ids is null ? string.Create(CultureInfo.InvariantCulture, $"{_idPrefix}{number:D8}") : _idPrefix + RandomHex(_ids),
            ItemId: string.Create(CultureInfo.InvariantCulture, $"SKU-{10_000 + product}"),
            ItemDesc: _products[product],
            Qty: f.Random.WeightedRandom([1, 2, 3, 4, 5, 10], [0.55f, 0.2f, 0.1f, 0.06f, 0.05f, 0.04f]).ToString(CultureInfo.InvariantCulture),
            UnitPrice: f.Random.Decimal(0.5m, 500m).ToString("0.00", CultureInfo.InvariantCulture),
            Currency: currency,
            OrderDate: f.Date.Between(FirstDay, FirstDay.AddDays(364)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            Status: f.PickRandom(Statuses),
            Name: $"{first} {last}",
            Email: $"{Slug(first)}.{Slug(last)}{f.Random.Int(1, 999)}@{f.PickRandom("example.com", "example.org", "example.net", "mail.example")}",
            Phone: f.Random.Bool(0.6f) ? f.Phone.PhoneNumber("+1 ###-###-####") : null,
            Country: country,
            HasContactInfo: true,
            Defect: defect);
        return defect switch
        {
            Defect.None => order,
            Defect.MissingContactInfo => order with { Name = null, Email = null, Phone = null, HasContactInfo = false },
            Defect.MissingOrderId => order with { OrderId = null },
            Defect.OrderIdTooLong => order with { OrderId = order.OrderId + "-" + new string('X', 130) },
            Defect.MissingItemId => order with { ItemId = null },
            Defect.ZeroQuantity => order with { Qty = "0" },
            Defect.NonNumericQuantity => order with { Qty = f.PickRandom("two", "1.5", "lots") },
            Defect.MissingName => order with { Name = null },
            Defect.MissingEmail => order with { Email = null },
            Defect.InvalidEmail => order with { Email = f.PickRandom("not-an-email", "jane.doe@", "@example.com", "john doe@example.com") },
            Defect.UnknownCurrency => order with { Currency = f.PickRandom("XYZ", "ABC", "EUD") },
            Defect.MalformedCurrency => order with { Currency = f.PickRandom("euro", "us$", "E") },
            Defect.UnknownCountry => order with { Country = f.PickRandom("XX", "QQ", "ZZ") },
            Defect.InvalidStatus => order with { Status = f.PickRandom("lost", "PAID", "pending-ish") },
            Defect.InvalidOrderDate => order with { OrderDate = f.PickRandom("31/12/2025", "yesterday", "2025-13-45") },
            Defect.NegativeUnitPrice => order with { UnitPrice = "-" + order.UnitPrice },
            Defect.InvalidPhone => order with { Phone = f.PickRandom("call me", "12", "+1 (555) CALL-NOW") },
            _ => throw new ArgumentOutOfRangeException(nameof(defect), defect, null),
        };
    }

    private static string Slug(string name) => new([.. name.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit)]);

    /// <summary>The defect's name as the summary prints it: <c>missing-contact-info</c>.</summary>
    public static string Describe(Defect defect) =>
        string.Concat(defect.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
