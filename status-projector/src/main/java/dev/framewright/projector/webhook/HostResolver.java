package dev.framewright.projector.webhook;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Turns a webhook's host name into addresses; the JDK's resolver unless a test injects one (DNS rebinding). */
@FunctionalInterface
public interface HostResolver {

    HostResolver JDK = host -> List.of(InetAddress.getAllByName(host));

    /** Blocking. @throws UnknownHostException when the name does not resolve now */
    List<InetAddress> resolve(String host) throws UnknownHostException;
}
