using DistTrain.Launcher.Tests.Support;
using DistTrain.Protocol.V1;
using Google.Protobuf;

namespace DistTrain.Launcher.Tests.Telemetry;

/// <summary>
/// The OTLP tests' schema-less reader of protobuf wire format, checked on messages whose schema is known
/// (telemetry.proto's), so that what it finds in an OTLP body can be trusted.
/// </summary>
public sealed class ProtobufStringsTests
{
    [Fact]
    public void The_string_fields_of_nested_messages_are_found_at_every_depth_in_wire_order_and_numbers_are_not()
    {
        var failure = new ReportFailureRequest
        {
            Failure = new RankFailure
            {
                Identity = new RankIdentity { Rank = 3, NodeId = "node-7", Host = "worker-host", Pid = 4242 },
                Collective = new CollectiveProgress { Sequence = 17, Name = "all_reduce" },
                ExceptionType = "System.InvalidOperationException",
                Message = "the loss diverged",
            },
        };

        Assert.Equal(
            ["node-7", "worker-host", "all_reduce", "System.InvalidOperationException", "the loss diverged"],
            ProtobufStrings.Of(failure.ToByteArray()));
    }

    [Fact]
    public void Bytes_that_are_not_a_protobuf_message_are_refused_with_their_length()
    {
        // Tag 0x0a (field 1, length-delimited) announcing 100 bytes where 2 follow.
        var truncated = new byte[] { 0x0a, 100, 1, 2 };

        var error = Assert.Throws<InvalidDataException>(() => ProtobufStrings.Of(truncated));
        Assert.Contains("4 bytes", error.Message, StringComparison.Ordinal);
    }
}
