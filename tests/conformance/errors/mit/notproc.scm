("notproc" 1)
