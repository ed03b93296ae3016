package io.airgap.deps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airgap.core.FormatException;
import io.airgap.core.internal.StrictJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.Test;

/** A verified bundle is exactly what its signed content implies: nothing unsigned rides along. */
class BundleTamperingTest extends BundleFixture {
  @Test
  void hostileMembersAreRefused() throws Exception {
    assertThatThrownBy(
            () ->
                Bundles.verify(
                    rewrite("extra", true, "notes.txt", TarArchiveEntry.LF_NORMAL),
                    KEY.publicKey(),
                    VerifyOptions.defaults()))
        .isInstanceOf(IntegrityException.class)
        .hasMessageEndingWith(": unexpected member notes.txt");
    assertThatThrownBy(
            () ->
                Bundles.verify(
                    rewrite("link", true, "blobs/sha256/evil", TarArchiveEntry.LF_SYMLINK),
                    KEY.publicKey(),
                    VerifyOptions.defaults()))
        .isInstanceOf(IntegrityException.class)
        .hasMessageEndingWith(
            ": member blobs/sha256/evil is not a regular file (links and devices are refused)");
    assertThatThrownBy(
            () ->
                Bundles.verify(
                    rewrite("dots", true, "../../etc/cron.d/x", TarArchiveEntry.LF_NORMAL),
                    KEY.publicKey(),
                    VerifyOptions.defaults()))
        .isInstanceOf(IntegrityException.class)
        .hasMessageEndingWith(": member name ../../etc/cron.d/x is absolute or escapes the bundle");
  }

  @Test
  void aMemberLargerThanItsManifestSaysIsRefusedBeforeItIsRead() throws Exception {
    String hex = lock.artifact("fraud").orElseThrow().files().get(0).sha256();
    java.util.LinkedHashMap<String, byte[]> members = readMembers(bundle);
    members.put(
        "blobs/sha256/" + hex, new byte[1 << 20]); // a megabyte where 10 bytes were promised
    Path bomb = writeTar(temp.resolve("bomb.tar"), members);

    assertThatThrownBy(() -> Bundles.verify(bomb, KEY.publicKey(), VerifyOptions.defaults()))
        .isInstanceOf(IntegrityException.class)
        .hasMessageEndingWith(
            ": member blobs/sha256/" + hex + " claims 1048576 bytes, its manifest says 10");
  }

  @Test
  void bytesAfterTheArchiveAreRefused() throws Exception {
    // tar readers stop at the end-of-archive blocks; a second archive behind them would travel
    // with a verified bundle, unsigned.
    byte[] whole = Files.readAllBytes(bundle);
    Path appended = temp.resolve("appended.tar");
    Files.write(appended, whole);
    Path second = rewrite("second", false, "payload.sh", TarArchiveEntry.LF_NORMAL);
    Files.write(appended, Files.readAllBytes(second), java.nio.file.StandardOpenOption.APPEND);
    ContentStore store = ContentStore.openOrCreate(temp.resolve("store"));

    assertThatThrownBy(
            () -> Bundles.importInto(appended, KEY.publicKey(), store, VerifyOptions.defaults()))
        .isInstanceOf(IntegrityException.class)
        .hasMessage(
            appended
                + ": byte "
                + whole.length
                + " lies after the end of the archive (data outside every member is refused)");
    assertThat(store.list()).isEmpty();
  }

  @Test
  void bytesHiddenInMemberPaddingAreRefused() throws Exception {
    byte[] bytes = Files.readAllBytes(bundle);
    // oci-layout is the first member: 30 bytes of data after its header, then zero padding.
    assertThat(new String(bytes, 0, 10, StandardCharsets.US_ASCII)).isEqualTo("oci-layout");
    bytes[512 + 40] = 'x';
    Path padded = Files.write(temp.resolve("padded.tar"), bytes);

    assertThatThrownBy(() -> Bundles.verify(padded, KEY.publicKey(), VerifyOptions.defaults()))
        .isInstanceOf(IntegrityException.class)
        .hasMessage(
            padded
                + ": byte 552 in member padding is not zero (data outside every member is"
                + " refused)");
  }

  @Test
  void extendedAndSparseHeadersAreRefusedBeforeTheirContentIsRead() throws Exception {
    Path sparse = withType("sparse.tar", (byte) 'S');
    assertThatThrownBy(() -> Bundles.verify(sparse, KEY.publicKey(), VerifyOptions.defaults()))
        .isInstanceOf(IntegrityException.class)
        .hasMessage(
            sparse
                + ": the tar header at byte 0 (oci-layout) has tar type 'S' (long names, PAX"
                + " records and sparse members are refused)");
    Path longName = withType("long.tar", (byte) 'L');
    assertThatThrownBy(() -> Bundles.inspect(longName))
        .isInstanceOf(IntegrityException.class)
        .hasMessageEndingWith(
            ": the tar header at byte 0 (oci-layout) has tar type 'L' (long names, PAX records"
                + " and sparse members are refused)");
    Path directory = withType("directory.tar", (byte) '5');
    assertThatThrownBy(() -> Bundles.verify(directory, KEY.publicKey(), VerifyOptions.defaults()))
        .isInstanceOf(IntegrityException.class)
        .hasMessage(
            directory
                + ": the tar header at byte 0 (oci-layout) is a directory with a size of 30 bytes");
    byte[] bytes = Files.readAllBytes(bundle);
    bytes[3] = 'X'; // the name changes, the checksum does not
    Path damaged = Files.write(temp.resolve("damaged.tar"), bytes);
    assertThatThrownBy(() -> Bundles.verify(damaged, KEY.publicKey(), VerifyOptions.defaults()))
        .isInstanceOf(IntegrityException.class)
        .hasMessage(
            damaged + ": the tar header at byte 0 (ociXlayout) has a wrong header checksum");
  }

  @Test
  void unsignedContentBesideTheSignedStatementIsRefused() throws Exception {
    Path layout =
        replaceMember("layout", "oci-layout", json -> ((ObjectNode) json).put("note", "unsigned"));
    Path index =
        replaceMember("index", "index.json", json -> ((ObjectNode) json).put("note", "unsigned"));
    Path reordered =
        replaceMember(
            "reordered",
            "index.json",
            json -> {
              ArrayNode manifests = (ArrayNode) json.get("manifests");
              manifests.add(manifests.remove(0));
            });
    Path envelopeField =
        replaceMember(
            "envelope", Bundles.SIGNATURE, json -> ((ObjectNode) json).put("note", "unsigned"));
    Path secondSignature =
        replaceMember(
            "second-signature",
            Bundles.SIGNATURE,
            json -> {
              ArrayNode signatures = (ArrayNode) json.get("signatures");
              signatures.add(signatures.get(0).deepCopy());
            });
    Path signatureField =
        replaceMember(
            "signature-field",
            Bundles.SIGNATURE,
            json -> ((ObjectNode) json.get("signatures").get(0)).put("cert", "unsigned"));

    assertThatThrownBy(() -> Bundles.verify(layout, KEY.publicKey(), VerifyOptions.defaults()))
        .isInstanceOf(FormatException.class)
        .hasMessage(
            layout
                + " oci-layout: is not exactly {\"imageLayoutVersion\":\"1.0.0\"} (OCI image"
                + " layout 1.0.0)");
    for (Path changed : List.of(index, reordered)) {
      assertThatThrownBy(() -> Bundles.verify(changed, KEY.publicKey(), VerifyOptions.defaults()))
          .isInstanceOf(IntegrityException.class)
          .hasMessage(
              changed
                  + " index.json: holds fields, values, an order or whitespace other than the index"
                  + " of its manifests (unsigned content is refused)");
    }
    assertThatThrownBy(
            () -> Bundles.verify(envelopeField, KEY.publicKey(), VerifyOptions.defaults()))
        .isInstanceOf(FormatException.class)
        .hasMessage(envelopeField + " " + Bundles.SIGNATURE + ": unknown field 'note'");
    assertThatThrownBy(
            () -> Bundles.verify(secondSignature, KEY.publicKey(), VerifyOptions.defaults()))
        .isInstanceOf(FormatException.class)
        .hasMessage(
            secondSignature
                + " "
                + Bundles.SIGNATURE
                + ": the envelope carries 2 signatures; an airgap bundle carries exactly one");
    assertThatThrownBy(
            () -> Bundles.verify(signatureField, KEY.publicKey(), VerifyOptions.defaults()))
        .isInstanceOf(FormatException.class)
        .hasMessage(
            signatureField + " " + Bundles.SIGNATURE + " signatures[0]: unknown field 'cert'");
  }

  @Test
  void unsignedBytesInHeadersWhitespaceOrTheKeyHintAreRefused() throws Exception {
    byte[] bytes = Files.readAllBytes(bundle);
    bytes[136] = '1'; // the first header's mtime, checksum made right again
    fixChecksum(bytes);
    Path timed = Files.write(temp.resolve("timed.tar"), bytes);
    java.util.LinkedHashMap<String, byte[]> members = readMembers(bundle);
    members.put(
        "index.json",
        new String(members.get("index.json"), StandardCharsets.UTF_8)
            .replace("\n", "\n ")
            .getBytes(StandardCharsets.UTF_8));
    Path spaced = writeTar(temp.resolve("spaced.tar"), members);
    Path hinted =
        replaceMember(
            "hinted",
            Bundles.SIGNATURE,
            json -> ((ObjectNode) json.get("signatures").get(0)).put("keyid", "covert channel"));
    members = readMembers(bundle);
    members.put(
        Bundles.SIGNATURE,
        new String(members.get(Bundles.SIGNATURE), StandardCharsets.UTF_8)
            .replace("\": \"", "\":  \"")
            .getBytes(StandardCharsets.UTF_8));
    Path reencoded = writeTar(temp.resolve("reencoded.tar"), members);

    assertThatThrownBy(() -> Bundles.verify(timed, KEY.publicKey(), VerifyOptions.defaults()))
        .isInstanceOf(IntegrityException.class)
        .hasMessage(
            timed
                + ": the tar header at byte 0 (oci-layout) differs from the header airgap writes"
                + " in its mtime (byte 136; headers carry nothing but name and size)");
    assertThatThrownBy(() -> Bundles.verify(spaced, KEY.publicKey(), VerifyOptions.defaults()))
        .isInstanceOf(IntegrityException.class)
        .hasMessageEndingWith(
            " index.json: holds fields, values, an order or whitespace other than the index of"
                + " its manifests (unsigned content is refused)");
    assertThatThrownBy(() -> Bundles.verify(hinted, KEY.publicKey(), VerifyOptions.defaults()))
        .isInstanceOf(FormatException.class)
        .hasMessage(
            hinted
                + " "
                + Bundles.SIGNATURE
                + ": keyid 'covert channel' is not the hint of the key that signed it ("
                + io.airgap.core.signing.Pem.hint(KEY.publicKey())
                + ")");
    assertThatThrownBy(() -> Bundles.verify(reencoded, KEY.publicKey(), VerifyOptions.defaults()))
        .isInstanceOf(FormatException.class)
        .hasMessage(
            reencoded
                + " "
                + Bundles.SIGNATURE
                + ": the envelope differs from the form airgap writes (whitespace, field order or"
                + " encoding; unsigned bytes are refused)");
  }

  @Test
  void neitherTheOrderOfBlobsNorTheTrailerCanCarryAnything() throws Exception {
    byte[] whole = Files.readAllBytes(bundle);
    java.util.LinkedHashMap<String, byte[]> members = readMembers(bundle);
    List<String> names = new java.util.ArrayList<>(members.keySet());
    String last = names.get(names.size() - 1);
    String beforeLast = names.get(names.size() - 2);
    java.util.LinkedHashMap<String, byte[]> swapped = new java.util.LinkedHashMap<>();
    for (String name : names.subList(0, names.size() - 2)) {
      swapped.put(name, members.get(name));
    }
    swapped.put(last, members.get(last));
    swapped.put(beforeLast, members.get(beforeLast));
    Path reordered = writeTar(temp.resolve("reordered.tar"), swapped);
    int dataEnd = 0; // where the last member's padding ends and the end-of-archive blocks begin
    for (byte[] content : members.values()) {
      dataEnd += 512 + (content.length + 511) / 512 * 512;
    }
    Path stripped = Files.write(temp.resolve("stripped.tar"), Arrays.copyOf(whole, dataEnd));
    Path cut = Files.write(temp.resolve("cut.tar"), Arrays.copyOf(whole, dataEnd + 1024));
    Path longer = Files.write(temp.resolve("longer.tar"), Arrays.copyOf(whole, whole.length + 7));

    assertThatThrownBy(() -> Bundles.verify(reordered, KEY.publicKey(), VerifyOptions.defaults()))
        .isInstanceOf(IntegrityException.class)
        .hasMessage(
            reordered
                + ": member "
                + last
                + " is out of the order bundles are written in (expected "
                + beforeLast
                + ")");
    assertThatThrownBy(() -> Bundles.verify(stripped, KEY.publicKey(), VerifyOptions.defaults()))
        .isInstanceOf(IntegrityException.class)
        .hasMessage(
            stripped
                + ": the tar ends at byte "
                + dataEnd
                + " without its end-of-archive blocks (a truncated transfer?)");
    assertThatThrownBy(() -> Bundles.verify(cut, KEY.publicKey(), VerifyOptions.defaults()))
        .isInstanceOf(IntegrityException.class)
        .hasMessage(
            cut
                + ": the tar ends at byte "
                + (dataEnd + 1024)
                + ", inside its end-of-archive blocks (a truncated transfer?)");
    assertThatThrownBy(() -> Bundles.verify(longer, KEY.publicKey(), VerifyOptions.defaults()))
        .isInstanceOf(IntegrityException.class)
        .hasMessage(
            longer
                + ": byte "
                + whole.length
                + " lies after the end of the archive (data outside every member is refused)");
  }

  @Test
  void aBundleIndexCarryingACreationTimeIsRefused() throws Exception {
    // The creation time is signed in the statement; one in the unsigned index would be a forgery.
    Path stamped =
        replaceMember(
            "stamped",
            "index.json",
            json ->
                ((ObjectNode) json.get("manifests").get(0).get("annotations"))
                    .put("io.airgap.bundle.created", "2099-01-01T00:00:00Z")
                    .put("io.airgap.bundle.signature", "sha256:" + "0".repeat(64)));

    assertThatThrownBy(() -> Bundles.verify(stamped, KEY.publicKey(), VerifyOptions.defaults()))
        .isInstanceOf(IntegrityException.class)
        .hasMessage(
            stamped
                + " index.json: carries io.airgap.bundle.created and io.airgap.bundle.signature,"
                + " which only a store's index records (the bundle's time is signed)");
  }

  @Test
  void aStatementWithoutACreationTimeIsRefused() throws Exception {
    com.fasterxml.jackson.databind.node.ObjectNode statement =
        StrictJson.mapper().createObjectNode();
    statement.put("_type", BundleStatement.STATEMENT_TYPE);
    statement.putArray("subject");
    statement.put("predicateType", BundleStatement.PREDICATE_TYPE);
    statement.putObject("predicate").put("artifacts", 0);
    byte[] payload = OciArtifacts.compact(statement);
    byte[] signature =
        KEY.type()
            .sign(
                KEY.privateKey(),
                io.airgap.core.internal.Dsse.pae(
                    io.airgap.core.internal.Dsse.IN_TOTO_PAYLOAD_TYPE, payload));
    byte[] envelope =
        StrictJson.writePretty(
            new io.airgap.core.signing.DsseEnvelope(
                    io.airgap.core.internal.Dsse.IN_TOTO_PAYLOAD_TYPE,
                    payload,
                    List.of(
                        new io.airgap.core.signing.DsseEnvelope.Signature(
                            io.airgap.core.signing.Pem.hint(KEY.publicKey()), signature)))
                .toJson());

    assertThatThrownBy(() -> BundleStatement.verify(envelope, KEY.publicKey(), "b.tar sig"))
        .isInstanceOf(FormatException.class)
        .hasMessage(
            "b.tar sig: the statement records no creation time, so a store cannot refuse it as"
                + " older media; it was made by an earlier airgap version: create the bundle again");
  }

  @Test
  void theArchiveIsWholeTarBlocksEndingInZeroRecords() throws Exception {
    long size = Files.size(bundle);
    assertThat(size % BundleTarWriter.BLOCK).isZero();
    try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(bundle)) {
      java.nio.ByteBuffer tail = java.nio.ByteBuffer.allocate(2 * BundleTarWriter.RECORD);
      channel.read(tail, size - 2 * BundleTarWriter.RECORD); // the two end-of-archive records
      assertThat(tail.array()).containsOnly((byte) 0);
    }
  }

  @Test
  void gnuTarListsTheMembersInOrderOwnedByNoOne() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(gnuTar(), "GNU tar is not installed");
    ProcessBuilder command =
        new ProcessBuilder("tar", "--numeric-owner", "-tvf", bundle.toString())
            .redirectErrorStream(true);
    command.environment().put("TZ", "UTC"); // tar shows times in local time
    Process tar = command.start();
    String listing = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(tar.waitFor()).isZero();
    List<String> lines = listing.lines().toList();
    assertThat(lines).hasSize(members(bundle).size());
    assertThat(lines.get(0)).startsWith("-rw-r--r-- 0/0").endsWith(" oci-layout");
    assertThat(lines.get(1)).endsWith(" index.json");
    assertThat(lines.get(2)).endsWith(" " + Bundles.SIGNATURE);
    assertThat(lines).allMatch(line -> line.startsWith("-rw-r--r-- 0/0 "));
    assertThat(lines).allMatch(line -> line.contains(" 1970-01-01 00:00 "));
  }

  /** Whether {@code tar} on the path is GNU tar (bsdtar lists in another format). */
  private static boolean gnuTar() {
    try {
      Process version = new ProcessBuilder("tar", "--version").redirectErrorStream(true).start();
      String text = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return version.waitFor() == 0 && text.contains("GNU tar");
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Test
  void sizesOfEightGibibytesAndMoreAreEncodedSoTarReadersParseThem() {
    long size = 10L << 30;
    java.nio.ByteBuffer header = BundleTarWriter.header("blobs/sha256/" + "a".repeat(64), size);

    org.apache.commons.compress.archivers.tar.TarArchiveEntry parsed =
        new org.apache.commons.compress.archivers.tar.TarArchiveEntry(header.array());
    assertThat(parsed.getSize()).isEqualTo(size);
    assertThat(parsed.getName()).isEqualTo("blobs/sha256/" + "a".repeat(64));
  }
}
