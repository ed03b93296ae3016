package io.airgap.core.manifest;

import io.airgap.core.FormatException;

/** How a model is cut into resources before hashing. */
public enum SerializationMethod {
  /** One resource per file, named by its relative path. */
  FILES("files"),
  /**
   * Fixed-size byte ranges of each file, named {@code path:start:end}; shards of one big file are
   * hashed in parallel.
   */
  SHARDS("shards");

  private final String omsName;

  SerializationMethod(String omsName) {
    this.omsName = omsName;
  }

  /** The name written in {@code predicate.serialization.method}. */
  public String omsName() {
    return omsName;
  }

  /**
   * Finds the method an OMS document names.
   *
   * @throws FormatException for any other value
   */
  public static SerializationMethod fromOmsName(String name) {
    for (SerializationMethod method : values()) {
      if (method.omsName.equals(name)) {
        return method;
      }
    }
    throw new FormatException(
        "unknown serialization method '" + name + "'; expected 'files' or 'shards'");
  }
}
