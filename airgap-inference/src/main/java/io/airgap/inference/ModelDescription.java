package io.airgap.inference;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Describes a verified model: declared inputs and outputs, and metadata, as {@code airgap model
 * inspect} prints them. There is no way to describe an unverified model: only signed bytes reach
 * the runtime, even to be inspected.
 *
 * @param inputs the declared inputs
 * @param outputs the declared outputs
 * @param metadata producer, graph, domain, description, version and custom properties
 */
public record ModelDescription(
    List<TensorSpec> inputs, List<TensorSpec> outputs, Map<String, String> metadata) {
  /** Copies the collections. */
  public ModelDescription {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    metadata = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
  }

  /** The description of a verified model, read from a short-lived CPU session. */
  public static ModelDescription of(VerifiedModel model) {
    try (InferenceSession session = InferenceSession.builder(model).open()) {
      return new ModelDescription(session.inputs(), session.outputs(), session.metadata());
    }
  }
}
