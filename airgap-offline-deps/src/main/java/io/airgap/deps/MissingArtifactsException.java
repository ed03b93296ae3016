package io.airgap.deps;

import io.airgap.core.VerificationException;
import java.util.List;

/** Artifacts no configured repository has: each is listed with every place it was looked for. */
public final class MissingArtifactsException extends VerificationException {
  private static final long serialVersionUID = 1L;

  /** One line per missing artifact. */
  private final List<String> missing;

  /** Creates the exception from one line per missing artifact. */
  public MissingArtifactsException(List<String> missing) {
    super(missing.size() + " artifact(s) not found: " + String.join("; ", missing));
    this.missing = List.copyOf(missing);
  }

  /** One line per missing artifact: its name, source, and where it was looked for. */
  public List<String> missing() {
    return missing;
  }
}
