/** php-fpm on the host: masters, pools with the file and line of each setting, and its log. */
package dev.chatops.checks.nginx502.parse.phpfpm;
