(open-tcp-stream-socket "" "www")
