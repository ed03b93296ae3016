package io.airgap.deps;

import io.airgap.core.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * An OCI image layout directory (as {@code skopeo copy ... oci:DIR} or an airgap content store
 * leaves it) serving {@code oci} sources by manifest digest: the manifest and each layer are
 * checked against their digests while they are copied. Thread-safe.
 */
public final class OciLayout implements Repository {
  private final Path root;

  /** A layout rooted at {@code root}. */
  public OciLayout(Path root) {
    this.root = root;
  }

  @Override
  public String describe() {
    return "oci layout " + root;
  }

  @Override
  public boolean serves(ArtifactSource source) {
    return source.type().equals("oci");
  }

  @Override
  public Optional<List<LockedFile>> fetch(String name, ArtifactSource source, Path target) {
    String hex = source.coordinates().get("digest").substring("sha256:".length());
    Path manifestFile = root.resolve("blobs/sha256").resolve(hex);
    if (!Files.isRegularFile(manifestFile, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    byte[] manifest;
    try {
      manifest = DepsFiles.readDocument(manifestFile, false);
    } catch (IOException e) {
      throw new InputException("cannot read " + manifestFile + ": " + e.getMessage(), e);
    }
    if (!DepsFiles.sha256(manifest).equals(hex)) {
      throw new IntegrityException(manifestFile + " is not its digest");
    }
    LockedArtifact artifact = OciArtifacts.parse(manifest, manifestFile.toString());
    return Optional.of(
        OciBlobs.copyLayers(
            artifact,
            target,
            sha ->
                Files.newInputStream(
                    root.resolve("blobs/sha256").resolve(sha), LinkOption.NOFOLLOW_LINKS)));
  }
}
