package io.weir.node.api;

/**
 * A command that another module adds to the {@code weir} command line, found with
 * {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/io.weir.node.api.CommandLineExtension}).
 *
 * <p>The implementing class is itself a picocli command ({@code @Command(name = ...)}) with a
 * public no-argument constructor. This is how {@code samples} contributes {@code demo} and
 * {@code benchmarks} contributes {@code bench} without the launcher depending on them.
 */
public interface CommandLineExtension {}
