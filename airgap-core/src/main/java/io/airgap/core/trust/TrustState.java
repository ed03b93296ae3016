package io.airgap.core.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airgap.core.AtomicFiles;
import io.airgap.core.FormatException;
import io.airgap.core.InputException;
import io.airgap.core.digest.HashAlgorithm;
import io.airgap.core.internal.StrictJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a verifier has accepted so far, persisted so that nothing older is accepted later: the
 * current trust policy (whole, so the next one can be checked against its root keys) and, per model
 * name, the highest model version accepted. Immutable; {@link #write} replaces the file atomically.
 *
 * <p>Every write also appends its sequence number and the file's SHA-256 to a journal beside it
 * ({@code <state>.journal}). A state file restored from an older copy, or deleted, no longer
 * matches the journal's last line and is refused, so a backup restored by mistake cannot silently
 * re-open rollbacks. (Whoever can rewrite both files can still reset them; keep them where only the
 * verifying service writes.)
 *
 * @param policy the current policy, or {@code null} before the first one is accepted
 * @param models the highest version accepted per model name
 * @param sequence how many times the state has been written
 * @param latestTime the latest verification time accepted, or {@code null}; an earlier time later
 *     means the clock was set back, which would let expired keys and policies count again
 */
public record TrustState(
    SignedPolicy policy, Map<String, ModelVersion> models, long sequence, Instant latestTime) {
  /** The state file schema version. */
  public static final int SCHEMA_VERSION = 1;

  private static final long MAX_BYTES = 16L * 1024 * 1024;

  /** Copies the map, sorted by name. */
  public TrustState {
    models = Collections.unmodifiableMap(new TreeMap<>(models));
  }

  /** The state of a verifier that has accepted nothing yet. */
  public static TrustState empty() {
    return new TrustState(null, Map.of(), 0, null);
  }

  /**
   * Reads a state file; a file that does not exist is the empty state.
   *
   * @throws FormatException when the file is corrupt: it is never reset silently, since a reset
   *     would re-open every rollback it protects against
   * @throws RollbackException when the file is older than its journal says (a restored copy)
   */
  public static TrustState read(Path path) {
    String where = "trust state " + path;
    try {
      List<String> journal = readJournal(journal(path));
      byte[] bytes;
      try (InputStream in = Files.newInputStream(path)) {
        bytes = in.readNBytes((int) MAX_BYTES + 1);
      } catch (NoSuchFileException e) {
        if (!journal.isEmpty()) {
          throw new FormatException(
              where + " is missing but its journal records write " + lastWrite(journal));
        }
        return empty();
      } catch (IOException e) {
        throw new InputException("cannot read trust state " + path + ": " + e.getMessage(), e);
      }
      if (bytes.length > MAX_BYTES) {
        throw new FormatException(where + " is larger than " + MAX_BYTES + " bytes");
      }
      TrustState state = parse(bytes, where);
      checkJournal(state, bytes, journal, where);
      return state;
    } catch (FormatException e) {
      throw new FormatException(e.getMessage() + REFUSED, e);
    } catch (RollbackException e) {
      RollbackException refused = new RollbackException(e.getMessage() + REFUSED);
      refused.initCause(e);
      throw refused;
    }
  }

  private static final String REFUSED =
      "; the state is refused, not reset: restore it and its journal from the same backup, or"
          + " delete both deliberately to trust the next policy from scratch";

  private static TrustState parse(byte[] bytes, String where) {
    JsonNode root = StrictJson.readObject(bytes, where);
    StrictJson.requireOnly(
        root, Set.of("schemaVersion", "sequence", "latestTime", "policy", "models"), where);
    long schema = StrictJson.integer(root, "schemaVersion", where);
    if (schema != SCHEMA_VERSION) {
      throw new FormatException(where + ": schemaVersion " + schema + " is not supported");
    }
    SignedPolicy policy = null;
    if (root.has("policy")) {
      JsonNode node = StrictJson.object(root, "policy", where);
      StrictJson.requireOnly(node, Set.of("version", "sha256", "envelope"), where + " policy");
      policy = SignedPolicy.fromJson(StrictJson.object(node, "envelope", where), where + " policy");
      long version = StrictJson.integer(node, "version", where);
      String digest = StrictJson.text(node, "sha256", where);
      if (version != policy.version() || !digest.equals(policy.digest().hex())) {
        throw new FormatException(
            where + ": the recorded policy version or digest does not match the policy it holds");
      }
    }
    Map<String, ModelVersion> models = new TreeMap<>();
    JsonNode node = StrictJson.object(root, "models", where);
    var fields = node.fields();
    while (fields.hasNext()) {
      var entry = fields.next();
      if (!entry.getValue().isTextual()) {
        throw new FormatException(where + ": models." + entry.getKey() + " must be a string");
      }
      models.put(entry.getKey(), ModelVersion.parse(entry.getValue().textValue()));
    }
    Instant latest = root.has("latestTime") ? StrictJson.instant(root, "latestTime", where) : null;
    return new TrustState(policy, models, StrictJson.integer(root, "sequence", where), latest);
  }

  private static Path journal(Path state) {
    return state.resolveSibling(state.getFileName() + ".journal");
  }

  private static List<String> readJournal(Path journal) {
    try {
      List<String> lines = Files.readAllLines(journal, StandardCharsets.US_ASCII);
      for (String line : lines) {
        if (!line.matches("[0-9]{1,18} ([0-9a-f]{64} pending|commit)")) {
          throw new FormatException("trust state journal " + journal + " is corrupt");
        }
      }
      return lines;
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new InputException(
          "cannot read trust state journal " + journal + ": " + e.getMessage(), e);
    }
  }

  /**
   * Each write journals {@code N <sha256> pending}, renames the state into place, then journals
   * {@code N commit}. The state must be the last committed write; only while the last write is
   * pending (interrupted) may it be that write or the committed one before it.
   */
  private static void checkJournal(
      TrustState state, byte[] bytes, List<String> journal, String where) {
    if (journal.isEmpty()) {
      throw new FormatException(where + " has no journal beside it; it was not written by airgap");
    }
    String actual = state.sequence + " " + HashAlgorithm.SHA256.hash(bytes).hex() + " pending";
    List<String> pending = journal.stream().filter(line -> line.endsWith(" pending")).toList();
    String newest = pending.isEmpty() ? "" : pending.get(pending.size() - 1);
    boolean committed = journal.get(journal.size() - 1).endsWith(" commit");
    boolean matches =
        actual.equals(newest)
            || (!committed
                && pending.size() >= 2
                && actual.equals(pending.get(pending.size() - 2)));
    if (!matches) {
      // A restored older copy is how a rollback attack would look: a verification failure (exit
      // 1), not a malformed file.
      throw new RollbackException(
          where
              + " is write "
              + state.sequence
              + " but its journal ends at write "
              + lastWrite(journal)
              + ": it was rolled back or replaced");
    }
  }

  private static String lastWrite(List<String> journal) {
    return journal.get(journal.size() - 1).split(" ")[0];
  }

  /**
   * Writes the state atomically (temporary file, fsync, rename, fsync of the directory), after
   * appending its sequence and digest to the journal.
   */
  public void write(Path path) {
    byte[] bytes = toJson();
    appendJournal(path, sequence + " " + HashAlgorithm.SHA256.hash(bytes).hex() + " pending\n");
    AtomicFiles.write(path, bytes);
    appendJournal(path, sequence + " commit\n");
  }

  private static void appendJournal(Path path, String line) {
    try (FileChannel channel =
        FileChannel.open(
            journal(path),
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.APPEND)) {
      channel.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII)));
      channel.force(true);
    } catch (IOException e) {
      throw new InputException("cannot append to " + journal(path) + ": " + e.getMessage(), e);
    }
  }

  /** A state that follows this one: the next sequence number. */
  public TrustState next(
      SignedPolicy newPolicy, Map<String, ModelVersion> newModels, Instant verificationTime) {
    Instant latest =
        latestTime == null || verificationTime.isAfter(latestTime) ? verificationTime : latestTime;
    return new TrustState(newPolicy, newModels, sequence + 1, latest);
  }

  private byte[] toJson() {
    ObjectNode root = StrictJson.mapper().createObjectNode();
    root.put("schemaVersion", SCHEMA_VERSION);
    root.put("sequence", sequence);
    if (latestTime != null) {
      root.put("latestTime", latestTime.toString());
    }
    if (policy != null) {
      ObjectNode node = root.putObject("policy");
      node.put("version", policy.version());
      node.put("sha256", policy.digest().hex());
      node.set("envelope", policy.envelope().toJson());
    }
    ObjectNode models = root.putObject("models");
    this.models.forEach((name, version) -> models.put(name, version.toString()));
    return StrictJson.writePretty(root);
  }
}
