"""A categorical (C51-style) DQN with TRFL: a Sonnet 1 ConvNet2D + MLP torso producing per-action
logits over a fixed support for the online network (connected twice) and a target copy, TRFL's
categorical distributional double Q-learning loss, a hard periodic target update (its counter
variable), RMSProp on the online network's variables."""
import sonnet as snt
import tensorflow.compat.v1 as tf
import trfl

BATCH, IMAGE, ACTIONS, ATOMS = 2, 8, 3, 5


class QNetwork(snt.AbstractModule):
    def __init__(self, name):
        super(QNetwork, self).__init__(name=name)

    def _build(self, observations):
        torso = snt.nets.ConvNet2D([4, 8], kernel_shapes=[3], strides=[2], paddings=[snt.SAME],
                                   activate_final=True, name="torso")
        head = snt.nets.MLP([16, ACTIONS * ATOMS], name="head")
        logits = head(snt.BatchFlatten()(torso(observations)))
        return tf.reshape(logits, [-1, ACTIONS, ATOMS])


def build():
    obs_tm1 = tf.placeholder(tf.float32, [BATCH, IMAGE, IMAGE, 1], name="obs_tm1")
    a_tm1 = tf.placeholder(tf.int32, [BATCH], name="a_tm1")
    r_t = tf.placeholder(tf.float32, [BATCH], name="r_t")
    pcont_t = tf.placeholder(tf.float32, [BATCH], name="pcont_t")
    obs_t = tf.placeholder(tf.float32, [BATCH, IMAGE, IMAGE, 1], name="obs_t")
    atoms = tf.linspace(-1.0, 1.0, ATOMS)

    online = QNetwork("online")
    target = QNetwork("target")
    logits_tm1 = online(obs_tm1)
    q_t_selector = tf.reduce_sum(tf.nn.softmax(online(obs_t)) * atoms, axis=-1)
    logits_t = target(obs_t)

    loss, _ = trfl.categorical_dist_double_qlearning(
        atoms, logits_tm1, a_tm1, r_t, pcont_t, atoms, logits_t, q_t_selector)
    update = trfl.periodic_target_update(
        target.get_variables(), online.get_variables(), update_period=100)
    with tf.control_dependencies([update]):
        return tf.reduce_mean(loss)


loss = build()
train_op = tf.train.RMSPropOptimizer(2.5e-4, epsilon=0.01 / 32).minimize(
    loss, var_list=tf.trainable_variables("online/"))
