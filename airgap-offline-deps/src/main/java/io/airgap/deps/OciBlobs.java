package io.airgap.deps;

import io.airgap.core.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Copies an artifact manifest's layers to files, each checked against its digest and size. */
final class OciBlobs {
  private OciBlobs() {}

  /** Opens a blob by its SHA-256; never returns null. */
  @FunctionalInterface
  interface BlobSource {
    InputStream open(String sha256) throws IOException;
  }

  static List<LockedFile> copyLayers(LockedArtifact artifact, Path target, BlobSource blobs) {
    List<LockedFile> files = new ArrayList<>();
    for (LockedFile layer : artifact.files()) {
      Path file = target.resolve(layer.path());
      HashingCopy.Result copied;
      try (InputStream in = blobs.open(layer.sha256())) {
        copied = HashingCopy.copy(in, file, layer.size(), "blob " + layer.sha256());
      } catch (HashingCopy.LimitExceeded e) {
        DepsFiles.deleteQuietly(file);
        throw new IntegrityException(
            "blob "
                + layer.sha256()
                + " is larger than the "
                + layer.size()
                + " bytes its manifest says");
      } catch (IOException e) {
        throw new InputException("cannot read blob " + layer.sha256() + ": " + e.getMessage(), e);
      }
      if (copied.size() != layer.size() || !copied.sha256().equals(layer.sha256())) {
        DepsFiles.deleteQuietly(file);
        throw new IntegrityException(
            "blob "
                + layer.sha256()
                + " ("
                + layer.path()
                + ") holds "
                + copied.size()
                + " bytes hashing to "
                + copied.sha256());
      }
      files.add(layer);
    }
    return files;
  }
}
