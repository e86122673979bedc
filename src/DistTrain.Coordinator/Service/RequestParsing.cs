using Google.Protobuf;
using Grpc.Core;

namespace DistTrain.Coordinator.Service;

/// <summary>
/// A request whose bytes are not a valid message answers INTERNAL saying so, as gRPC servers do;
/// Grpc.AspNetCore parses before any handler or interceptor runs and would answer UNKNOWN.
/// </summary>
internal static class RequestParsing
{
    /// <summary><paramref name="method"/> with a request parser that turns a parse failure into INTERNAL.</summary>
    public static Method<TRequest, TResponse> Strict<TRequest, TResponse>(Method<TRequest, TResponse> method) =>
        new(method.Type, method.ServiceName, method.Name, Strict(method.RequestMarshaller), method.ResponseMarshaller);

    private static Marshaller<T> Strict<T>(Marshaller<T> marshaller) => new(marshaller.ContextualSerializer, context =>
    {
        try
        {
            return marshaller.ContextualDeserializer(context);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new RpcException(new Status(StatusCode.Internal, $"The request is not a valid {typeof(T).Name} message: {ex.Message}"));
        }
    });
}
