package io.aiaas.platform.gateway;

import io.aiaas.platform.model.service.WarmupView;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The Open Inference Protocol v2 bodies, for the OpenAPI document only: the gateway passes infer bodies to a worker
 * without binding them (the worker's codec reads them), so these records are never deserialised. Field names are the
 * protocol's (snake_case, as the document's naming strategy writes them).
 */
public final class InferenceSchemas {

    private InferenceSchemas() {
    }

    private static final String DATA = "The tensor's elements in row-major order, flat or nested to the shape: numbers"
            + " for numeric datatypes, true/false for BOOL, strings for BYTES; absent when the tensor's bytes follow the"
            + " JSON part (parameters.binary_data_size)";

    @Schema(name = "InferenceRequest", description = "An Open Inference Protocol v2 infer request")
    public record InferRequest(
            @Schema(description = "Echoed in the answer") String id,
            @Schema(description = "Request parameters, e.g. binary_data_output: true") Map<String, Object> parameters,
            @Schema(required = true, minItems = 1) List<RequestInput> inputs,
            @Schema(description = "The outputs to answer; all of them when absent") List<RequestOutput> outputs) {
    }

    @Schema(name = "InferenceRequestInput")
    public record RequestInput(
            @Schema(required = true) String name,
            @Schema(required = true, description = "Dimensions, each 0 or more") List<Long> shape,
            @Schema(required = true, enumeration = {"BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16",
                "INT32", "INT64", "FP16", "FP32", "FP64", "BYTES"}) String datatype,
            @Schema(description = "binary_data_size: the length of this tensor's bytes after the JSON part")
            Map<String, Object> parameters,
            @Schema(type = SchemaType.ARRAY, description = DATA) List<Object> data) {
    }

    @Schema(name = "InferenceRequestOutput")
    public record RequestOutput(
            @Schema(required = true) String name,
            @Schema(description = "binary_data: true answers this output as bytes after the JSON part")
            Map<String, Object> parameters) {
    }

    @Schema(name = "InferenceResponse", description = "An Open Inference Protocol v2 infer answer")
    public record InferResponse(
            @Schema(required = true) String modelName,
            String modelVersion,
            @Schema(description = "The request's id, when it had one") String id,
            Map<String, Object> parameters,
            @Schema(required = true) List<ResponseOutput> outputs) {
    }

    @Schema(name = "InferenceResponseOutput")
    public record ResponseOutput(
            @Schema(required = true) String name,
            @Schema(required = true) List<Long> shape,
            @Schema(required = true) String datatype,
            @Schema(description = "binary_data_size when the output's bytes follow the JSON part")
            Map<String, Object> parameters,
            @Schema(type = SchemaType.ARRAY, description = DATA) List<Object> data) {
    }

    @Schema(name = "ModelMetadata", description = "An Open Inference Protocol v2 model metadata answer")
    public record ModelMetadata(
            @Schema(required = true) String name,
            @Schema(description = "Every version the caller may call, oldest first") List<String> versions,
            @Schema(required = true, examples = "onnxruntime_onnx") String platform,
            @Schema(required = true) List<TensorMetadata> inputs,
            @Schema(required = true) List<TensorMetadata> outputs,
            @Schema(description = "How the version was warmed up when it was registered") WarmupView warmup) {
    }

    @Schema(name = "TensorMetadata")
    public record TensorMetadata(
            @Schema(required = true) String name,
            @Schema(required = true) String datatype,
            @Schema(required = true, description = "-1 for a dimension of any size") List<Long> shape) {
    }

    @Schema(name = "ModelReady")
    public record ModelReady(String name, String version, boolean ready) {
    }
}
