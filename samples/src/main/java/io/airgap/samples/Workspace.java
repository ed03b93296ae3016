package io.airgap.samples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A fresh directory for one sample's files, under the system's temporary directory. */
public final class Workspace {
  private Workspace() {}

  /** Creates {@code airgap-NAME-RANDOM} under {@code java.io.tmpdir}. */
  public static Path fresh(String name) {
    try {
      return Files.createTempDirectory("airgap-" + name + "-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a workspace for " + name, e);
    }
  }
}
