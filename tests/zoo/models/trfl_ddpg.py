"""A DDPG agent with TRFL: actor and critic networks (tf.layers.dense in "actor"/"critic" scopes,
the critic called twice under reuse=tf.AUTO_REUSE), their target copies in "target_actor" /
"target_critic", TRFL's deterministic policy gradient loss on the actor, its TD-learning loss on
the critic, soft target updates with trfl.update_target_variables, and one Adam per network."""
import tensorflow.compat.v1 as tf
import trfl

BATCH, OBSERVATION, ACTION = 4, 6, 2


def actor(obs, scope):
    with tf.variable_scope(scope, reuse=tf.AUTO_REUSE):
        hidden = tf.layers.dense(obs, 16, activation=tf.nn.relu, name="hidden")
        return tf.layers.dense(hidden, ACTION, activation=tf.tanh, name="action")


def critic(obs, action, scope):
    with tf.variable_scope(scope, reuse=tf.AUTO_REUSE):
        hidden = tf.layers.dense(tf.concat([obs, action], axis=1), 16, activation=tf.nn.relu,
                                 name="hidden")
        return tf.squeeze(tf.layers.dense(hidden, 1, name="value"), axis=1)


def build():
    obs_tm1 = tf.placeholder(tf.float32, [BATCH, OBSERVATION], name="obs_tm1")
    a_tm1 = tf.placeholder(tf.float32, [BATCH, ACTION], name="a_tm1")
    r_t = tf.placeholder(tf.float32, [BATCH], name="r_t")
    pcont_t = tf.placeholder(tf.float32, [BATCH], name="pcont_t")
    obs_t = tf.placeholder(tf.float32, [BATCH, OBSERVATION], name="obs_t")

    policy_action = actor(obs_tm1, "actor")
    q_policy = critic(obs_tm1, policy_action, "critic")
    q_tm1 = critic(obs_tm1, a_tm1, "critic")
    q_t = critic(obs_t, actor(obs_t, "target_actor"), "target_critic")

    actor_loss, _ = trfl.dpg(q_policy, policy_action, dqda_clipping=1.0)
    critic_loss, _ = trfl.td_learning(q_tm1, r_t, pcont_t, q_t)
    update_targets = tf.group(
        trfl.update_target_variables(tf.trainable_variables("target_actor/"),
                                     tf.trainable_variables("actor/"), tau=0.01),
        trfl.update_target_variables(tf.trainable_variables("target_critic/"),
                                     tf.trainable_variables("critic/"), tau=0.01))
    with tf.control_dependencies([update_targets]):
        return tf.reduce_mean(actor_loss), tf.reduce_mean(critic_loss)


actor_loss, critic_loss = build()
actor_train = tf.train.AdamOptimizer(1e-4).minimize(
    actor_loss, var_list=tf.trainable_variables("actor/"))
critic_train = tf.train.AdamOptimizer(1e-3).minimize(
    critic_loss, var_list=tf.trainable_variables("critic/"))
