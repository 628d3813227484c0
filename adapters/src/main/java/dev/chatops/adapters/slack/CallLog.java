package dev.chatops.adapters.slack;

import com.slack.api.util.http.listener.HttpResponseListener;
import okhttp3.Response;

/**
 * Stands in for the Slack SDK's own debug listener, which prints request headers and bodies:
 * the {@code Authorization} header carries the token. This one says only which method was
 * called and how it went.
 */
final class CallLog extends HttpResponseListener {

    private static final System.Logger LOG = System.getLogger(CallLog.class.getName());

    @Override
    public void accept(State state) {
        if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
            Response response = state.getResponse();
            LOG.log(System.Logger.Level.DEBUG, "Slack " + response.request().method() + " "
                    + response.request().url().encodedPath() + " -> HTTP " + response.code());
        }
    }
}
