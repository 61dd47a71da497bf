"""A double DQN with TRFL: online and target Q-networks (Sonnet 1 MLPs), TRFL's double
Q-learning loss and its periodic target update (a counter variable in a uniquified scope), Adam on
the online network's variables."""
import sonnet as snt
import tensorflow.compat.v1 as tf
import trfl

BATCH, OBSERVATION, ACTIONS = 8, 6, 4


def build():
    obs_tm1 = tf.placeholder(tf.float32, [BATCH, OBSERVATION], name="obs_tm1")
    a_tm1 = tf.placeholder(tf.int32, [BATCH], name="a_tm1")
    r_t = tf.placeholder(tf.float32, [BATCH], name="r_t")
    pcont_t = tf.placeholder(tf.float32, [BATCH], name="pcont_t")
    obs_t = tf.placeholder(tf.float32, [BATCH, OBSERVATION], name="obs_t")

    online = snt.nets.MLP([16, ACTIONS], name="online_q")
    target = snt.nets.MLP([16, ACTIONS], name="target_q")
    q_tm1 = online(obs_tm1)
    q_t_selector = online(obs_t)
    q_t_value = target(obs_t)

    loss, _ = trfl.double_qlearning(q_tm1, a_tm1, r_t, pcont_t, q_t_value, q_t_selector)
    update_target = trfl.periodic_target_update(
        target.get_variables(), online.get_variables(), update_period=50)
    with tf.control_dependencies([update_target]):
        loss = tf.reduce_mean(loss)
    return loss


loss = build()
train_op = tf.train.AdamOptimizer(1e-3).minimize(loss, var_list=tf.trainable_variables("online_q/"))
