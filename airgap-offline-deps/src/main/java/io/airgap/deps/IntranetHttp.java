package io.airgap.deps;

import io.airgap.core.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * GETs from the one intranet host a repository was configured with: no proxy (whatever the
 * environment says), no redirects followed, a timeout. Thread-safe.
 */
final class IntranetHttp {
  private final HttpClient client;
  private final Duration timeout;

  IntranetHttp(Duration timeout) {
    this.timeout = timeout;
    this.client =
        HttpClient.newBuilder()
            .proxy(HttpClient.Builder.NO_PROXY)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(timeout)
            .build();
  }

  /**
   * The body of a GET, or null on 404.
   *
   * @param accept the Accept header, or null for none
   * @throws InputException on another status, a network failure, or an interrupt
   */
  InputStream get(URI uri, String accept) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
    if (accept != null) {
      request.header("Accept", accept);
    }
    try {
      HttpResponse<InputStream> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      if (response.statusCode() == 404) {
        response.body().close();
        return null;
      }
      if (response.statusCode() != 200) {
        response.body().close();
        throw new InputException(
            uri + " answered HTTP " + response.statusCode() + " (redirects are not followed)");
      }
      return response.body();
    } catch (IOException e) {
      throw new InputException("cannot reach " + uri + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InputException("interrupted while fetching " + uri, e);
    }
  }
}
