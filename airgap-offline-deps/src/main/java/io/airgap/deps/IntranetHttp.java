package io.airgap.deps;

import com.fasterxml.jackson.databind.JsonNode;
import io.airgap.core.InputException;
import io.airgap.core.internal.StrictJson;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GETs from the one intranet host a repository was configured with: no proxy (whatever the
 * environment says), no redirects followed, a timeout for the answer and for every pause in its
 * body. A registry that answers 401 with a bearer challenge (Harbor does, even for public projects)
 * gets the token it asks for, from its token service on the same host only, with the configured
 * credentials or anonymously; a basic challenge gets the credentials. Thread-safe.
 */
final class IntranetHttp {
  private static final int MAX_TOKEN_RESPONSE = 64 << 10;
  private static final Pattern CHALLENGE_PARAMETER = Pattern.compile("([A-Za-z_]+)=\"([^\"]*)\"");
  private static final ScheduledExecutorService WATCHDOG =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "airgap-http-watchdog");
            thread.setDaemon(true);
            return thread;
          });

  /** A user name and password for a registry or repository. */
  record Credentials(String user, String password) {
    Credentials {
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(password, "password");
    }

    String basic() {
      return "Basic "
          + Base64.getEncoder()
              .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
      return "Credentials[" + user + "]"; // never the password
    }
  }

  private final HttpClient client;
  private final Duration timeout;
  private final Credentials credentials;

  /** Bearer tokens by the scope they were issued for (for example repository:team/m:pull). */
  private final Map<String, String> tokens = new ConcurrentHashMap<>();

  IntranetHttp(Duration timeout) {
    this(timeout, null);
  }

  IntranetHttp(Duration timeout, Credentials credentials) {
    this.timeout = timeout;
    this.credentials = credentials;
    this.client =
        HttpClient.newBuilder()
            .proxy(HttpClient.Builder.NO_PROXY)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(timeout)
            .build();
  }

  /** The configured user name, or null without credentials. */
  String user() {
    return credentials == null ? null : credentials.user();
  }

  /**
   * The body of a GET, or null on 404. The body fails with an {@link IOException} when no byte
   * arrives for the timeout.
   *
   * @param accept the Accept header, or null for none
   * @throws InputException on another status, a network failure, an authentication the server
   *     refuses, a token service on another host, or an interrupt
   */
  InputStream get(URI uri, String accept) {
    try {
      String scope = scopeOf(uri);
      String token = scope == null ? null : tokens.get(scope);
      HttpResponse<InputStream> response =
          send(uri, accept, token == null ? null : "Bearer " + token);
      if (response.statusCode() == 401) {
        String authorization = answer(uri, response);
        response = send(uri, accept, authorization);
        if (response.statusCode() == 401) {
          response.body().close();
          throw new InputException(
              uri + " refused the credentials or token it asked for (HTTP 401)");
        }
      }
      if (response.statusCode() == 404) {
        response.body().close();
        return null;
      }
      if (response.statusCode() != 200) {
        response.body().close();
        throw new InputException(
            uri + " answered HTTP " + response.statusCode() + " (redirects are not followed)");
      }
      return new IdleTimeout(response.body(), uri, timeout);
    } catch (IOException e) {
      throw new InputException("cannot reach " + uri + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InputException("interrupted while fetching " + uri, e);
    }
  }

  private HttpResponse<InputStream> send(URI uri, String accept, String authorization)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
    if (accept != null) {
      request.header("Accept", accept);
    }
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
  }

  /** The Authorization header that answers a 401's challenge. */
  private String answer(URI uri, HttpResponse<InputStream> response)
      throws IOException, InterruptedException {
    response.body().close();
    if (credentials != null && !privateChannel(uri)) {
      throw new InputException(
          uri
              + " asks for credentials over plain http; they are sent only over https (or to this"
              + " machine)");
    }
    String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
    if (challenge.regionMatches(true, 0, "Bearer ", 0, 7)) {
      Map<String, String> parameters = parameters(challenge.substring(7));
      String token = token(uri, parameters);
      String scope = parameters.getOrDefault("scope", scopeOf(uri));
      if (scope != null) {
        tokens.put(scope, token);
      }
      return "Bearer " + token;
    }
    if (challenge.regionMatches(true, 0, "Basic", 0, 5) && credentials != null) {
      return credentials.basic();
    }
    throw new InputException(
        uri
            + " answered HTTP 401"
            + (challenge.isEmpty() ? "" : " (" + challenge + ")")
            + (credentials == null ? "; it needs credentials" : ""));
  }

  /** Fetches a token from the challenge's realm, which must be on the host asked. */
  private String token(URI uri, Map<String, String> challenge)
      throws IOException, InterruptedException {
    String realm = challenge.get("realm");
    if (realm == null) {
      throw new InputException(uri + " asks for a bearer token but names no realm");
    }
    URI service = URI.create(realm);
    if (!sameOrigin(uri, service)) {
      throw new InputException(
          uri
              + " asks for a token from "
              + realm
              + ", which is not the configured host; it is not contacted");
    }
    StringBuilder query = new StringBuilder();
    for (String name : new String[] {"service", "scope"}) {
      if (challenge.containsKey(name)) {
        query.append(query.length() == 0 ? '?' : '&');
        query
            .append(name)
            .append('=')
            .append(URLEncoder.encode(challenge.get(name), StandardCharsets.UTF_8));
      }
    }
    URI tokenUri = URI.create(realm + query);
    HttpResponse<InputStream> response =
        send(tokenUri, "application/json", credentials == null ? null : credentials.basic());
    byte[] body;
    try (InputStream in = response.body()) {
      body = in.readNBytes(MAX_TOKEN_RESPONSE + 1);
    }
    if (response.statusCode() != 200) {
      throw new InputException(
          "the token service "
              + realm
              + " answered HTTP "
              + response.statusCode()
              + (credentials == null ? " to an anonymous request" : ""));
    }
    if (body.length > MAX_TOKEN_RESPONSE) {
      throw new InputException("the token service " + realm + " answered more than 64 KiB");
    }
    JsonNode json;
    try {
      json = StrictJson.mapper().readTree(body);
    } catch (IOException e) {
      throw new InputException(
          "the token service " + realm + " answered no JSON: " + e.getMessage(), e);
    }
    for (String field : new String[] {"token", "access_token"}) {
      JsonNode value = json == null ? null : json.get(field);
      if (value != null && value.isTextual() && !value.asText().isEmpty()) {
        return value.asText();
      }
    }
    throw new InputException("the token service " + realm + " answered no token");
  }

  /** Whether credentials may travel to {@code uri}: over https, or to this machine. */
  static boolean privateChannel(URI uri) {
    String host = uri.getHost() == null ? "" : uri.getHost();
    return "https".equalsIgnoreCase(uri.getScheme())
        || host.equals("127.0.0.1")
        || host.equalsIgnoreCase("localhost")
        || host.equals("[::1]");
  }

  private static boolean sameOrigin(URI a, URI b) {
    return a.getScheme() != null
        && a.getScheme().equalsIgnoreCase(b.getScheme())
        && a.getHost() != null
        && a.getHost().equalsIgnoreCase(b.getHost())
        && port(a) == port(b);
  }

  private static int port(URI uri) {
    if (uri.getPort() >= 0) {
      return uri.getPort();
    }
    return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  /** {@code key="value"} pairs of a challenge. */
  static Map<String, String> parameters(String text) {
    Map<String, String> parameters = new LinkedHashMap<>();
    Matcher matcher = CHALLENGE_PARAMETER.matcher(text);
    while (matcher.find()) {
      parameters.put(matcher.group(1).toLowerCase(java.util.Locale.ROOT), matcher.group(2));
    }
    return parameters;
  }

  /** The pull scope of a distribution API path ({@code /v2/NAME/manifests|blobs/...}), or null. */
  static String scopeOf(URI uri) {
    String path = uri.getPath();
    int v2 = path.indexOf("/v2/");
    if (v2 < 0) {
      return null;
    }
    String rest = path.substring(v2 + 4);
    for (String kind : new String[] {"/manifests/", "/blobs/"}) {
      int at = rest.lastIndexOf(kind);
      if (at > 0) {
        return "repository:" + rest.substring(0, at) + ":pull";
      }
    }
    return null;
  }

  /**
   * A response body whose reads fail when one waits longer than the timeout: the request's own
   * timeout ends when the headers arrive, and a mirror that stalls mid-body would otherwise hang a
   * lock or a bundle forever. Only time spent blocked in a read counts, not the caller's own pauses
   * between reads. A watchdog closes the stream, which wakes the blocked read.
   */
  private static final class IdleTimeout extends FilterInputStream {
    private final URI uri;
    private final long timeoutNanos;
    private final ScheduledFuture<?> check;

    /** When the read in progress began, or 0 when none is. */
    private volatile long readingSince;

    private volatile boolean timedOut;

    IdleTimeout(InputStream in, URI uri, Duration timeout) {
      super(in);
      this.uri = uri;
      this.timeoutNanos = timeout.toNanos();
      long period = Math.max(10, timeout.toMillis() / 4);
      this.check =
          WATCHDOG.scheduleAtFixedRate(this::checkProgress, period, period, TimeUnit.MILLISECONDS);
    }

    private void checkProgress() {
      long since = readingSince;
      if (since != 0 && System.nanoTime() - since > timeoutNanos && !timedOut) {
        timedOut = true;
        check.cancel(false);
        try {
          in.close();
        } catch (IOException e) {
          // the reader learns of the timeout from the flag
        }
      }
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      failIfTimedOut(null);
      readingSince = Math.max(1, System.nanoTime());
      try {
        int n = in.read(buffer, offset, length);
        failIfTimedOut(null);
        return n;
      } catch (IOException e) {
        failIfTimedOut(e);
        throw e;
      } finally {
        readingSince = 0;
      }
    }

    private void failIfTimedOut(IOException cause) throws IOException {
      if (timedOut) {
        IOException e =
            new IOException(
                uri
                    + " sent no data for "
                    + String.format(java.util.Locale.ROOT, "%.1f", timeoutNanos / 1e9)
                    + " s");
        if (cause != null) {
          e.addSuppressed(cause);
        }
        throw e;
      }
    }

    @Override
    public void close() throws IOException {
      check.cancel(false);
      super.close();
    }
  }
}
