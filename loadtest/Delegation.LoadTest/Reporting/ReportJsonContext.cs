using System.Text.Json.Serialization;

namespace Delegation.LoadTest.Reporting;

/// <summary>Source-generated JSON for reports.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(ScenarioReport))]
public sealed partial class ReportJsonContext : JsonSerializerContext;
