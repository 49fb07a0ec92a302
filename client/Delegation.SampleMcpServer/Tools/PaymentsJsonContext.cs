using System.Text.Json.Serialization;

namespace Delegation.SampleMcpServer.Tools;

/// <summary>Source-generated JSON for the payments API.</summary>
[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(PaymentRequest))]
[JsonSerializable(typeof(PaymentReceipt))]
internal sealed partial class PaymentsJsonContext : JsonSerializerContext;
