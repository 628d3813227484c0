#!/bin/bash
# The nginx 502 verification script of seed 001 ("Step 10: Nginx 502 Verification Script"),
# as the guide gives it: what an engineer runs by hand (`ssh host 'bash -s' < check-nginx-502.sh`)
# or fans out with parallel-ssh. bench/run times it against the bot; do not improve it here.
echo "=== Nginx Status ==="
systemctl status nginx 2>/dev/null || echo "Service not running"

echo ""
echo "=== Nginx Process ==="
ps aux | grep nginx | grep -v grep || echo "No nginx process"

echo ""
echo "=== Configuration Test ==="
nginx -t 2>&1

echo ""
echo "=== Upstream Configuration ==="
grep -E "upstream|proxy_pass" /etc/nginx/nginx.conf 2>/dev/null
grep -E "upstream|proxy_pass" /etc/nginx/conf.d/*.conf 2>/dev/null | head -20

echo ""
echo "=== Upstream Connectivity ==="
# Extract upstream addresses
for addr in $(grep -oE "server [^;]+" /etc/nginx/conf.d/*.conf 2>/dev/null | grep -v "server_name" | awk '{print $2}' | tr -d ';'); do
  if [[ $addr == *":"* ]]; then
    host=$(echo $addr | cut -d: -f1)
    port=$(echo $addr | cut -d: -f2)
    echo "Testing $addr:"
    nc -zv $host $port 2>&1 || echo " Connection failed"
  fi
done

echo ""
echo "=== Recent 502 Errors ==="
grep "502|upstream" /var/log/nginx/error.log 2>/dev/null | tail -10 || echo "No 502 errors"

echo ""
echo "=== Access Log (502s) ==="
grep " 502 " /var/log/nginx/access.log 2>/dev/null | tail -5 || echo "No 502 responses"

echo ""
echo "=== SELinux Status ==="
getenforce 2>/dev/null || echo "SELinux not installed"

echo ""
echo "=== Proxy Timeouts ==="
nginx -T 2>/dev/null | grep -E "proxy_.*timeout" | head -10

echo ""
echo "=== Current Connections ==="
ss -tlnp | grep nginx || netstat -tlnp | grep nginx

echo ""
echo "=== Recommendations ==="
echo "1. Verify upstream server is running"
echo "2. Check upstream address and port correct"
echo "3. Increase proxy timeouts if backend slow"
echo "4. Check SELinux/AppArmor policies"
echo "5. Verify proxy headers configured"
echo "6. Check buffer sizes for large responses"
echo "7. Review upstream health check settings"
