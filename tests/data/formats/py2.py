import tensorflow as tf
print "hello"
