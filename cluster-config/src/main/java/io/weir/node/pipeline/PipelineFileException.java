package io.weir.node.pipeline;

import io.weir.api.WeirException;

/**
 * A pipeline file that cannot be run as written: not YAML, an unknown or missing key, a value of
 * the wrong kind. The message names the line, the key and what was expected, such as
 * {@code line 7: unknown key 'sinc' at the top level; expected one of pipeline, source, ...}.
 */
public final class PipelineFileException extends WeirException {
  private static final long serialVersionUID = 1L;

  private final int line;

  /**
   * A problem at a line.
   *
   * @param line the line, from 1; 0 when the file as a whole is at fault
   * @param message what is wrong and what was expected, without the line
   */
  public PipelineFileException(int line, String message) {
    super(line > 0 ? "line " + line + ": " + message : message);
    this.line = line;
  }

  /** The line at fault, from 1; 0 when the file as a whole is at fault. */
  public int line() {
    return line;
  }
}
