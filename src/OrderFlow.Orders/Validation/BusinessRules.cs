using OrderFlow.Json;

namespace OrderFlow.Orders.Validation;

/// <summary>The rules a schema cannot state: currencies must exist in ISO 4217, countries in ISO 3166-1.</summary>
internal static class BusinessRules
{
    // ISO 4217 currency codes in use (https://www.iso.org/iso-4217-currency-codes.html).
    private static readonly HashSet<string> Currencies = new(
        ("AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF CHW " +
         "CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG " +
         "HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT " +
         "MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR " +
         "SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED " +
         "VES VND VUV WST XAF XAG XAU XBA XBB XBC XBD XCD XCG XDR XOF XPD XPF XPT XSU XTS XUA YER ZAR ZMW ZWG ZWL").Split(' '),
        StringComparer.Ordinal);

    // ISO 3166-1 alpha-2 country codes (https://www.iso.org/iso-3166-country-codes.html).
    private static readonly HashSet<string> Countries = new(
        ("AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF " +
         "CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI " +
         "GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ " +
         "LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO " +
         "NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST " +
         "SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW").Split(' '),
        StringComparer.Ordinal);

    /// <summary>
    /// Adds to <paramref name="violations"/> what breaks these rules and the schema did not already report there; the
    /// list is made only when there is something to add (most orders break nothing).
    /// </summary>
    public static void Check(JsonValue order, ref List<Violation>? violations)
    {
        if (order is not JsonObject o)
        {
            return;
        }
        if ((o["order-info"] as JsonObject)?["currency"] is JsonString { Value.Length: 3 } currency
            && !Currencies.Contains(currency.Value) && !Reported(violations, "$.order-info.currency"))
        {
            (violations ??= []).Add(new Violation("$.order-info.currency", $"\"{currency.Value}\" is not an ISO 4217 currency code"));
        }
        if ((o["contact-info"] as JsonObject)?["country"] is JsonString { Value.Length: 2 } country
            && !Countries.Contains(country.Value) && !Reported(violations, "$.contact-info.country"))
        {
            (violations ??= []).Add(new Violation("$.contact-info.country", $"\"{country.Value}\" is not an ISO 3166-1 alpha-2 country code"));
        }
    }

    private static bool Reported(List<Violation>? violations, string path) => violations?.Exists(v => v.Path == path) == true;
}
