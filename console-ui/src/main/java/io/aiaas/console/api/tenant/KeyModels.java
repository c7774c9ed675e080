package io.aiaas.console.api.tenant;

import java.util.List;

/** Body of {@code PUT .../keys/{id}/models}: the key's whole model list; null (sent as null) for every model. */
public record KeyModels(List<String> models) {
}
