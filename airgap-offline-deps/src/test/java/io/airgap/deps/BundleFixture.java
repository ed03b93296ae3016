package io.airgap.deps;

import com.fasterxml.jackson.databind.JsonNode;
import io.airgap.core.internal.StrictJson;
import io.airgap.core.signing.KeyType;
import io.airgap.core.signing.Pem;
import io.airgap.core.signing.SigningKey;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A small lock of two artifacts bundled and signed, and the tar surgery the tests do on it. */
abstract class BundleFixture {
  static final SigningKey KEY = Pem.generate(KeyType.ECDSA_P256);

  @TempDir Path temp;
  DependencySpec spec;
  Lockfile lock;
  Path bundle;

  @BeforeEach
  void bundle() throws Exception {
    Path mirror = Files.createDirectories(temp.resolve("mirror/models/fraud/sub"));
    Files.writeString(mirror.getParent().resolve("model.onnx"), "onnx bytes");
    Files.writeString(mirror.resolve("vocab.txt"), "a\nb\n");
    Files.writeString(
        Files.createDirectories(temp.resolve("mirror/tok")).resolve("t.json"), "a\nb\n");
    // A file whose bytes are "{}" is the same blob as the manifests' empty config.
    Files.writeString(temp.resolve("mirror/tok/empty.json"), "{}");
    spec =
        DependencySpec.parse(
            ("{\"schemaVersion\": 1, \"artifacts\": ["
                    + "{\"name\": \"fraud\", \"kind\": \"model\", \"source\": {\"type\": \"directory\", \"path\": \"models/fraud\"}},"
                    + "{\"name\": \"tok\", \"kind\": \"tokenizer\", \"source\": {\"type\": \"directory\", \"path\": \"tok\"}}]}")
                .getBytes(StandardCharsets.UTF_8),
            "spec.json");
    lock =
        Locker.lock(
            spec, List.of(new DirectoryMirror(temp.resolve("mirror"))), temp.resolve("scratch"));
    bundle = temp.resolve("bundle.tar");
    Bundles.create(
        lock, KEY, bundle, BundleOptions.builder().files(temp.resolve("scratch")).build());
  }

  /** The spec locked again after the model changed, its files in {@code v2/}. */
  Lockfile lockWithChangedModel() throws Exception {
    Files.writeString(temp.resolve("mirror/models/fraud/model.onnx"), "onnx bytes v2");
    return Locker.lock(
        spec, List.of(new DirectoryMirror(temp.resolve("mirror"))), temp.resolve("v2"));
  }

  /** Temporary bundle files left in the test directory. */
  List<String> partials() throws Exception {
    try (var entries = Files.list(temp)) {
      return entries
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".partial"))
          .toList();
    }
  }

  /** The bundle with one JSON member changed by {@code change}, written back pretty-printed. */
  Path replaceMember(String name, String member, java.util.function.Consumer<JsonNode> change)
      throws Exception {
    java.util.LinkedHashMap<String, byte[]> members = readMembers(bundle);
    JsonNode json = StrictJson.readObject(members.get(member), member);
    change.accept(json);
    members.put(member, StrictJson.writePretty(json));
    return writeTar(temp.resolve(name + ".tar"), members);
  }

  /** The bundle with its first header's type changed and its checksum made right again. */
  Path withType(String name, byte type) throws Exception {
    byte[] bytes = Files.readAllBytes(bundle);
    bytes[156] = type;
    fixChecksum(bytes);
    return Files.write(temp.resolve(name), bytes);
  }

  /** Sets the checksum of the tar header at the start of {@code bytes} to match its bytes. */
  static void fixChecksum(byte[] bytes) {
    java.util.Arrays.fill(bytes, 148, 156, (byte) ' ');
    long sum = 0;
    for (int i = 0; i < 512; i++) {
      sum += bytes[i] & 0xff;
    }
    byte[] field = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(field, 0, bytes, 148, 8);
  }

  /** The bundle's members (all of them, or none) with one more member of the given type. */
  Path rewrite(String name, boolean keepAll, String member, byte type) throws Exception {
    java.util.LinkedHashMap<String, byte[]> members =
        keepAll ? readMembers(bundle) : new java.util.LinkedHashMap<>();
    members.put(member, type == TarArchiveEntry.LF_SYMLINK ? new byte[0] : new byte[] {'x'});
    return writeTar(temp.resolve(name + ".tar"), members, member, type);
  }

  /** A tar's members, by name, in order. */
  static java.util.LinkedHashMap<String, byte[]> readMembers(Path tar) throws Exception {
    java.util.LinkedHashMap<String, byte[]> members = new java.util.LinkedHashMap<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar))) {
      TarArchiveEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        members.put(entry.getName(), in.readAllBytes());
      }
    }
    return members;
  }

  /** Writes members as bundle create does: its headers, zero padding, the end-of-archive blocks. */
  static Path writeTar(Path out, java.util.Map<String, byte[]> members) throws Exception {
    return writeTar(out, members, null, TarArchiveEntry.LF_NORMAL);
  }

  /**
   * As {@link #writeTar(Path, java.util.Map)}, with member {@code special} of type {@code type}.
   */
  static Path writeTar(Path out, java.util.Map<String, byte[]> members, String special, byte type)
      throws Exception {
    java.io.ByteArrayOutputStream tar = new java.io.ByteArrayOutputStream();
    for (var member : members.entrySet()) {
      byte[] header = BundleTarWriter.header(member.getKey(), member.getValue().length).array();
      if (member.getKey().equals(special)) {
        header[156] = type;
        fixChecksum(header);
      }
      tar.write(header);
      tar.write(member.getValue());
      tar.write(new byte[(512 - member.getValue().length % 512) % 512]);
    }
    tar.write(new byte[1024]);
    tar.write(
        new byte
            [(BundleTarWriter.BLOCK - tar.size() % BundleTarWriter.BLOCK) % BundleTarWriter.BLOCK]);
    return Files.write(out, tar.toByteArray());
  }

  static List<String> members(Path tar) throws Exception {
    List<String> names = new java.util.ArrayList<>();
    try (InputStream file = Files.newInputStream(tar);
        TarArchiveInputStream in = new TarArchiveInputStream(file)) {
      TarArchiveEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        names.add(entry.getName());
      }
    }
    return names;
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new IllegalStateException("not found");
  }
}
