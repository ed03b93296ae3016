package io.airgap.deps;

import io.airgap.core.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * An OCI registry at an intranet URL, spoken to over the distribution API ({@code /v2/}), such as
 * Harbor or the CNCF distribution registry: an {@code oci} source's manifest is fetched by digest
 * and checked against it, then each layer blob, checked against its digest and size as it is
 * written under its title. No proxy, no redirects, nothing but the configured host: a registry that
 * asks for a bearer token (Harbor) gets one from its token service on the same host, anonymously or
 * with the credentials given. Thread-safe.
 */
public final class OciRegistry implements Repository {
  private static final long MAX_MANIFEST = 4L << 20;

  private final URI base;
  private final IntranetHttp http;

  /** A registry at {@code base} (for example {@code http://registry.intra:5000/}), anonymously. */
  public OciRegistry(URI base, Duration timeout) {
    this.base = base.toString().endsWith("/") ? base : URI.create(base + "/");
    this.http = new IntranetHttp(timeout);
  }

  /**
   * A registry at {@code base} that is given {@code user} and {@code password} when it asks (for a
   * token, or basic authentication), for example a Harbor robot account.
   */
  public OciRegistry(URI base, Duration timeout, String user, String password) {
    this.base = base.toString().endsWith("/") ? base : URI.create(base + "/");
    this.http = new IntranetHttp(timeout, new IntranetHttp.Credentials(user, password));
  }

  /** The user name given when the registry asks, or null for an anonymous registry. */
  String user() {
    return http.user();
  }

  @Override
  public String describe() {
    return "oci registry " + base;
  }

  @Override
  public boolean serves(ArtifactSource source) {
    return source.type().equals("oci");
  }

  @Override
  public Optional<List<LockedFile>> fetch(String name, ArtifactSource source, Path target) {
    String repository = source.coordinates().get("repository");
    String digest = source.coordinates().get("digest");
    URI manifestUri = base.resolve("v2/" + repository + "/manifests/" + digest);
    byte[] manifest;
    try (InputStream in = http.get(manifestUri, OciArtifacts.MANIFEST_TYPE)) {
      if (in == null) {
        return Optional.empty();
      }
      manifest = in.readNBytes((int) MAX_MANIFEST + 1);
    } catch (IOException e) {
      throw new InputException("cannot read " + manifestUri + ": " + e.getMessage(), e);
    }
    if (manifest.length > MAX_MANIFEST
        || !("sha256:" + DepsFiles.sha256(manifest)).equals(digest)) {
      throw new IntegrityException(manifestUri + " is not the manifest " + digest);
    }
    LockedArtifact artifact = OciArtifacts.parse(manifest, manifestUri.toString());
    return Optional.of(
        OciBlobs.copyLayers(
            artifact,
            target,
            hex -> {
              URI blob = base.resolve("v2/" + repository + "/blobs/sha256:" + hex);
              InputStream in = http.get(blob, "application/octet-stream");
              if (in == null) {
                throw new IntegrityException(
                    describe() + " has the manifest " + digest + " but not its blob " + hex);
              }
              return in;
            }));
  }
}
