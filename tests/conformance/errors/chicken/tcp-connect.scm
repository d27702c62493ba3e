(import (chicken tcp))
(tcp-connect "127.0.0.1" 1)
