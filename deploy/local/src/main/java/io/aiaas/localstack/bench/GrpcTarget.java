package io.aiaas.localstack.bench;

import com.google.protobuf.ByteString;
import io.aiaas.engine.InferenceResult;
import io.aiaas.protocol.BinaryTensors;
import io.aiaas.protocol.grpc.GRPCInferenceServiceGrpc;
import io.aiaas.protocol.grpc.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import io.aiaas.protocol.grpc.ModelInferRequest;
import io.aiaas.protocol.grpc.ModelInferRequest.InferInputTensor;
import io.aiaas.protocol.grpc.ModelInferResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An Open Inference Protocol {@code ModelInfer} call over gRPC (plain text HTTP/2 on the control plane's HTTP port)
 * with an API key and one input as raw little-endian bytes, made with a grpc-java blocking stub on one channel (one
 * HTTP/2 connection, calls multiplexed on it). An answer counts as a success when the call's status is OK and every
 * output came back with its raw contents; for a billed tenant also when its metadata carries the cost and rate-limit
 * entries ({@link BilledAnswer}).
 */
public final class GrpcTarget implements Targets.Checked, AutoCloseable {

    /** The gateway over gRPC. */
    public static final String CONTROL_PLANE_GRPC = "control-plane-grpc";
    /** The gateway over gRPC for a tenant on a plan: limits checked, each call priced. */
    public static final String CONTROL_PLANE_GRPC_BILLING = "control-plane-grpc+billing";

    private static final long TIMEOUT_SECONDS = 30;
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final String name;
    private final String currency;
    private final ManagedChannel channel;
    private final GRPCInferenceServiceBlockingStub stub;
    private final ModelInferRequest request;

    private GrpcTarget(String name, String host, int port, String apiKey, String model, String input,
                       String datatype, long[] shape, byte[] raw, String currency) {
        if (!HttpTarget.isLoopback(URI.create("http://" + host + ":" + port))) {
            throw new IllegalArgumentException("the benchmark only calls loopback addresses, not " + host);
        }
        this.name = name;
        this.currency = currency;
        this.channel = ManagedChannelBuilder.forAddress(host, port).usePlaintext().build();
        Metadata metadata = new Metadata();
        metadata.put(AUTHORIZATION, "Bearer " + apiKey);
        this.stub = GRPCInferenceServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata));
        InferInputTensor.Builder tensor = InferInputTensor.newBuilder().setName(input).setDatatype(datatype);
        for (long dim : shape) {
            tensor.addShape(dim);
        }
        this.request = ModelInferRequest.newBuilder().setModelName(model).addInputs(tensor)
                .addRawInputContents(ByteString.copyFrom(raw)).build();
    }

    /**
     * The target {@link Targets#grpc} describes: the gateway's gRPC endpoint is the host and port of its HTTP URL (gRPC
     * shares the HTTP port), the input goes as {@code raw_input_contents}, a billed call must be priced in
     * {@value Benchmark#BILLING_CURRENCY}. Wiring: {@code return Optional.of(new GrpcTarget(call));}.
     */
    public GrpcTarget(Targets.GrpcCall call) {
        this(call.name(), URI.create(call.apiUrl()).getHost(), portOf(URI.create(call.apiUrl())), call.apiKey(),
                call.model(), call.input().name(), call.input().type().name(), call.input().shape(),
                BinaryTensors.toBytes(call.input()), call.billed() ? Benchmark.BILLING_CURRENCY : null);
    }

    /** {@code ModelInfer} of {@code model} on the gateway at {@code host:port} with a key of a tenant without a plan. */
    public static GrpcTarget controlPlane(String host, int port, String apiKey, String model, String input,
                                          String datatype, long[] shape, byte[] raw) {
        return new GrpcTarget(CONTROL_PLANE_GRPC, host, port, apiKey, model, input, datatype, shape, raw, null);
    }

    /**
     * The same with the key of a tenant on a plan: every answer must carry its cost in {@code currency} and the
     * rate-limit entries.
     */
    public static GrpcTarget controlPlaneBilled(String host, int port, String apiKey, String currency, String model,
                                                String input, String datatype, long[] shape, byte[] raw) {
        return new GrpcTarget(CONTROL_PLANE_GRPC_BILLING, host, port, apiKey, model, input, datatype, shape, raw,
                currency);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void call() {
        answer();
    }

    /** One call; its answer, for a check that every target answers alike. */
    public ModelInferResponse answer() {
        AtomicReference<Metadata> headers = new AtomicReference<>();
        AtomicReference<Metadata> trailers = new AtomicReference<>();
        GRPCInferenceServiceBlockingStub call = stub.withDeadlineAfter(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (currency != null) {
            call = call.withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(headers, trailers));
        }
        ModelInferResponse response;
        try {
            response = call.modelInfer(request);
        } catch (StatusRuntimeException e) {
            throw new IllegalStateException(name + " answered " + e.getStatus().getCode() + ": "
                    + e.getStatus().getDescription(), e);
        }
        if (response.getOutputsCount() == 0 || response.getRawOutputContentsCount() != response.getOutputsCount()) {
            throw new IllegalStateException(name + ": the answer has " + response.getOutputsCount() + " outputs and "
                    + response.getRawOutputContentsCount() + " raw output contents");
        }
        if (currency != null) {
            BilledAnswer.require(name, currency, header -> Optional.ofNullable(headers.get())
                    .map(metadata -> metadata.get(Metadata.Key.of(header, Metadata.ASCII_STRING_MARSHALLER))));
        }
        return response;
    }

    /**
     * One call whose outputs must equal {@code expected}: the raw outputs are checked as the binary tensor answer they
     * stand for, by the same {@link AnswerCheck} as the HTTP targets.
     */
    @Override
    public void requireSameAs(InferenceResult expected) {
        ModelInferResponse response = answer();
        StringBuilder json = new StringBuilder("{\"outputs\":[");
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (int i = 0; i < response.getOutputsCount(); i++) {
            var output = response.getOutputs(i);
            ByteString raw = response.getRawOutputContents(i);
            json.append(i == 0 ? "" : ",").append("{\"name\":\"").append(output.getName())
                    .append("\",\"datatype\":\"").append(output.getDatatype()).append("\",\"shape\":")
                    .append(output.getShapeList()).append(",\"parameters\":{\"binary_data_size\":")
                    .append(raw.size()).append("}}");
            data.writeBytes(raw.toByteArray());
        }
        byte[] header = json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        byte[] body = Arrays.copyOf(header, header.length + data.size());
        System.arraycopy(data.toByteArray(), 0, body, header.length, data.size());
        AnswerCheck.requireSameBinary(name, expected, body, Integer.toString(header.length));
    }

    private static int portOf(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
