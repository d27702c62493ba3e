(import (chicken condition))
(abort (quote sym))
