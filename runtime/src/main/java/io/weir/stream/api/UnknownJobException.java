package io.weir.stream.api;

import io.weir.api.WeirException;

/** No job has the id asked for. */
public final class UnknownJobException extends WeirException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param jobId the id asked for
   */
  public UnknownJobException(String jobId) {
    super("no job with id '" + jobId + "'; `weir job list` shows the jobs");
  }
}
