(vector-ref (vector 1) 5)
