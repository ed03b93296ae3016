package io.airgap.deps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.airgap.core.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The registry conversation as Harbor holds it (a bearer challenge answered by its token service on
 * the same host), basic authentication, and bodies that stall, against a server on 127.0.0.1.
 */
class IntranetHttpTest {
  private HttpServer server;
  private String base;
  private final List<String> tokenRequests = Collections.synchronizedList(new ArrayList<>());
  private volatile String realm;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    base = "http://127.0.0.1:" + server.getAddress().getPort();
    realm = base + "/service/token";
    server.createContext("/service/token", this::token);
    server.createContext("/v2/", this::registry);
    server.createContext("/basic/", this::basic);
    server.createContext("/stall", this::stall);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void token(HttpExchange exchange) throws IOException {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    tokenRequests.add(exchange.getRequestURI().getRawQuery() + " " + authorization);
    String expected = "Basic " + Base64.getEncoder().encodeToString("robot:s3cret".getBytes());
    String token =
        authorization == null
            ? "anonymous-token"
            : authorization.equals(expected) ? "robot-token" : null;
    if (token == null) {
      respond(exchange, 401, "");
      return;
    }
    respond(exchange, 200, "{\"token\": \"" + token + "\", \"expires_in\": 1800}");
  }

  private void registry(HttpExchange exchange) throws IOException {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      exchange
          .getResponseHeaders()
          .add(
              "WWW-Authenticate",
              "Bearer realm=\""
                  + realm
                  + "\",service=\"harbor-registry\",scope=\"repository:team/m:pull\"");
      respond(exchange, 401, "");
      return;
    }
    respond(exchange, 200, "content for " + authorization.substring(7));
  }

  private void basic(HttpExchange exchange) throws IOException {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (authorization == null) {
      exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"nexus\"");
      respond(exchange, 401, "");
      return;
    }
    respond(exchange, 200, "basic ok");
  }

  private void stall(HttpExchange exchange) throws IOException {
    exchange.sendResponseHeaders(200, 10);
    OutputStream body = exchange.getResponseBody();
    body.write("ab".getBytes(StandardCharsets.US_ASCII));
    body.flush();
    try {
      Thread.sleep(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    exchange.close();
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
    exchange.close();
  }

  private static String read(InputStream in) throws IOException {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void aBearerChallengeIsAnsweredWithATokenFromTheSameHostOnce() throws Exception {
    IntranetHttp http = new IntranetHttp(Duration.ofSeconds(5));

    String manifest = read(http.get(URI.create(base + "/v2/team/m/manifests/sha256:aa"), null));
    String blob = read(http.get(URI.create(base + "/v2/team/m/blobs/sha256:bb"), null));

    assertThat(manifest).isEqualTo("content for anonymous-token");
    assertThat(blob).isEqualTo("content for anonymous-token");
    assertThat(tokenRequests)
        .containsExactly("service=harbor-registry&scope=repository%3Ateam%2Fm%3Apull null");
  }

  @Test
  void credentialsAreGivenToTheTokenServiceAndForBasicChallenges() throws Exception {
    IntranetHttp http =
        new IntranetHttp(Duration.ofSeconds(5), new IntranetHttp.Credentials("robot", "s3cret"));

    assertThat(read(http.get(URI.create(base + "/v2/team/m/manifests/sha256:aa"), null)))
        .isEqualTo("content for robot-token");
    assertThat(read(http.get(URI.create(base + "/basic/x.jar"), null))).isEqualTo("basic ok");
    assertThatThrownBy(
            () ->
                new IntranetHttp(Duration.ofSeconds(5))
                    .get(URI.create(base + "/basic/x.jar"), null))
        .isInstanceOf(InputException.class)
        .hasMessage(
            base + "/basic/x.jar answered HTTP 401 (Basic realm=\"nexus\"); it needs credentials");
    assertThat(new IntranetHttp.Credentials("robot", "s3cret").toString())
        .isEqualTo("Credentials[robot]");
  }

  @Test
  void aTokenServiceOnAnotherHostIsNeverContacted() {
    realm = "http://token.elsewhere.example/token";
    IntranetHttp http = new IntranetHttp(Duration.ofSeconds(5));

    assertThatThrownBy(() -> http.get(URI.create(base + "/v2/team/m/manifests/sha256:aa"), null))
        .isInstanceOf(InputException.class)
        .hasMessage(
            base
                + "/v2/team/m/manifests/sha256:aa asks for a token from"
                + " http://token.elsewhere.example/token, which is not the configured host; it is"
                + " not contacted");
    assertThat(tokenRequests).isEmpty();
  }

  @Test
  void aBodyThatStallsFailsAfterTheTimeout() throws Exception {
    IntranetHttp http = new IntranetHttp(Duration.ofMillis(500));

    InputStream body = http.get(URI.create(base + "/stall"), null);
    // The caller's own pauses between reads do not count, only a read that waits.
    Thread.sleep(1_000);
    assertThat(body.read()).isEqualTo('a');

    assertThatThrownBy(() -> read(body))
        .isInstanceOf(IOException.class)
        .hasMessage(base + "/stall sent no data for 0.5 s");
  }

  @Test
  void credentialsTravelOnlyOverHttpsOrToThisMachine() {
    assertThat(IntranetHttp.privateChannel(URI.create("https://harbor.intra/v2/"))).isTrue();
    assertThat(IntranetHttp.privateChannel(URI.create("http://127.0.0.1:5000/v2/"))).isTrue();
    assertThat(IntranetHttp.privateChannel(URI.create("http://localhost:5000/v2/"))).isTrue();
    assertThat(IntranetHttp.privateChannel(URI.create("http://harbor.intra/v2/"))).isFalse();
  }

  @Test
  void scopesAndChallengesAreParsed() {
    assertThat(IntranetHttp.scopeOf(URI.create("https://h/v2/team/sub/m/blobs/sha256:aa")))
        .isEqualTo("repository:team/sub/m:pull");
    assertThat(IntranetHttp.scopeOf(URI.create("https://h/v2/"))).isNull();
    assertThat(IntranetHttp.parameters("realm=\"https://h/t\",service=\"s\",Scope=\"x:y\""))
        .containsExactly(
            java.util.Map.entry("realm", "https://h/t"),
            java.util.Map.entry("service", "s"),
            java.util.Map.entry("scope", "x:y"));
  }
}
