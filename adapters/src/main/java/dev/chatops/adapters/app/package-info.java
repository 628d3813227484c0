/** The bot assembled from configuration, shared by every front end. */
package dev.chatops.adapters.app;
