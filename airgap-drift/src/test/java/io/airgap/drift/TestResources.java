package io.airgap.drift;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** Test data under {@code src/test/resources}, as paths. */
public final class TestResources {
  private TestResources() {}

  /** The path of the test resource {@code name} (relative to the resources root). */
  public static Path resource(String name) {
    try {
      return Path.of(TestResources.class.getResource("/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
