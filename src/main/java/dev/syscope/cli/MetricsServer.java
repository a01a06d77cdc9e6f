package dev.syscope.cli;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** The /metrics (and /-/healthy) endpoint of serve and trace --listen. */
final class MetricsServer {
    private MetricsServer() {}

    /**
     * Binds {@code listen} and serves {@code registry}; a bad or busy address is bad usage (exit 2),
     * found before the probe loads.
     */
    static HTTPServer start(CommandSpec spec, InetSocketAddress listen, PrometheusRegistry registry) {
        String where = hostPort(listen.getHostString(), listen.getPort());
        try {
            return HTTPServer.builder().inetAddress(InetAddress.getByName(listen.getHostString()))
                    .port(listen.getPort()).registry(registry).buildAndStart();
        } catch (UnknownHostException e) {
            throw new ParameterException(spec.commandLine(), "--listen " + where + ": unknown host");
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "--listen " + where + ": " + e.getMessage()
                    + "; pick another address or port");
        }
    }

    /** "syscope: serving http://HOST:PORT/metrics", with the port actually bound. */
    static String servingLine(InetSocketAddress listen, HTTPServer server) {
        return "syscope: serving http://" + hostPort(listen.getHostString(), server.getPort()) + "/metrics";
    }

    static String hostPort(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
