package io.airgap.deps;

import io.airgap.core.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Checks a content store: the bytes of every manifest, blob and recorded signed envelope, where
 * every artifact came from (with the bundle signer's key), and what nothing references.
 */
final class StoreCheck {
  private final ContentStore store;

  StoreCheck(ContentStore store) {
    this.store = store;
  }

  /** See {@link ContentStore#check()}. */
  List<String> check() {
    List<String> problems = new ArrayList<>();
    Map<String, OciArtifacts.Descriptor> index = indexOr(problems);
    if (index == null) {
      return problems;
    }
    if (!index.isEmpty()) {
      blobIntact(
          OciArtifacts.EMPTY_HEX, OciArtifacts.EMPTY_BLOB.length, problems, "the empty config");
    }
    for (Map.Entry<String, OciArtifacts.Descriptor> entry : index.entrySet()) {
      String manifestHex = entry.getValue().hex();
      if (!blobIntact(
          manifestHex, entry.getValue().size(), problems, "manifest of " + entry.getKey())) {
        continue;
      }
      LockedArtifact artifact;
      try {
        artifact = store.read(entry.getKey(), entry.getValue());
      } catch (RuntimeException e) {
        problems.add(e.getMessage());
        continue;
      }
      for (LockedFile file : artifact.files()) {
        blobIntact(file.sha256(), file.size(), problems, entry.getKey() + "/" + file.path());
      }
      OciArtifacts.Provenance provenance = entry.getValue().provenance();
      if (provenance != null) {
        blobIntact(provenance.signatureHex(), -1, problems, "signed envelope of " + entry.getKey());
      }
    }
    return problems;
  }

  /** See {@link ContentStore#checkProvenance(PublicKey)}. */
  List<String> checkProvenance(PublicKey key) {
    List<String> problems = new ArrayList<>();
    Map<String, OciArtifacts.Descriptor> index = indexOr(problems);
    if (index == null) {
      return problems;
    }
    for (Map.Entry<String, OciArtifacts.Descriptor> entry : index.entrySet()) {
      String name = entry.getKey();
      OciArtifacts.Provenance provenance = entry.getValue().provenance();
      if (provenance == null) {
        problems.add(name + ": added without a bundle; no signature vouches for it");
        continue;
      }
      Path envelope = store.blob(provenance.signatureHex());
      String where = "signed envelope of " + name + " (" + envelope + ")";
      try {
        byte[] bytes = DepsFiles.readDocument(envelope, false);
        if (!DepsFiles.sha256(bytes).equals(provenance.signatureHex())) {
          problems.add(where + ": not its digest");
          continue;
        }
        BundleStatement.Signed signed = BundleStatement.verify(bytes, key, where);
        if (!entry.getValue().hex().equals(signed.manifests().get(name))) {
          problems.add(
              where
                  + ": names manifest "
                  + signed.manifests().get(name)
                  + " for "
                  + name
                  + ", the index "
                  + entry.getValue().hex());
        } else if (!signed.created().equals(provenance.created())) {
          problems.add(
              where
                  + ": the bundle was created "
                  + signed.created()
                  + ", the index says "
                  + provenance.created());
        }
      } catch (IOException e) {
        problems.add(where + ": cannot read it: " + e.getMessage());
      } catch (io.airgap.core.AirgapException e) {
        problems.add(e.getMessage());
      }
    }
    return problems;
  }

  /** The store's index, or null with the reason it cannot be read added to {@code problems}. */
  private Map<String, OciArtifacts.Descriptor> indexOr(List<String> problems) {
    try {
      return store.index();
    } catch (RuntimeException e) {
      problems.add(e.getMessage());
      return null;
    }
  }

  /** See {@link ContentStore#unreferenced()}. */
  List<String> unreferenced() {
    Set<String> referenced = new TreeSet<>();
    Map<String, OciArtifacts.Descriptor> index = store.index();
    if (!index.isEmpty()) {
      referenced.add(OciArtifacts.EMPTY_HEX);
    }
    index.forEach(
        (name, descriptor) -> {
          referenced.add(descriptor.hex());
          store.read(name, descriptor).files().forEach(f -> referenced.add(f.sha256()));
          if (descriptor.provenance() != null) {
            referenced.add(descriptor.provenance().signatureHex());
          }
        });
    try (Stream<Path> blobs = Files.list(store.root().resolve("blobs/sha256"))) {
      return blobs
          .map(p -> p.getFileName().toString())
          .filter(n -> !referenced.contains(n))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new InputException(
          "cannot list the blobs of " + store.root() + ": " + e.getMessage(), e);
    }
  }

  private boolean blobIntact(String hex, long size, List<String> problems, String what) {
    Path blob = store.blob(hex);
    if (!Files.isRegularFile(blob, LinkOption.NOFOLLOW_LINKS)) {
      problems.add(what + ": blob " + hex + " is missing");
      return false;
    }
    try (InputStream in = Files.newInputStream(blob)) {
      MessageDigest digest = DepsFiles.digest("SHA-256");
      byte[] buffer = new byte[1 << 16];
      long total = 0;
      int read;
      while ((read = in.read(buffer)) >= 0) {
        digest.update(buffer, 0, read);
        total += read;
      }
      String actual = HexFormat.of().formatHex(digest.digest());
      if (!actual.equals(hex) || (size >= 0 && total != size)) { // -1: size not recorded
        problems.add(what + ": blob " + hex + " holds " + total + " bytes hashing to " + actual);
        return false;
      }
      return true;
    } catch (IOException e) {
      problems.add(what + ": cannot read blob " + hex + ": " + e.getMessage());
      return false;
    }
  }
}
