"""Named events of the discussion; side effects such as reply emails subscribe to them."""

from django.dispatch import Signal

# Sent once a post becomes visible to everyone (posted, or approved by a moderator), after
# the transaction that made it so has committed. Arguments: post, and mentions: whether
# the post mentions anyone, when the sender knows (a new post), else None.
post_published = Signal()

# Sent when the anti-abuse layers hold a post for a moderator (when it is posted, or when its
# author's edit is doubted), after the transaction commits. Arguments: post, note (why it
# was held), before and after (the texts around an edit; empty for a new post).
post_held = Signal()

# Sent when a new post that leaves an address for reply emails is stored, whatever its
# status, after the transaction commits. Arguments: post.
reply_address_given = Signal()

# Sent when a post is published (or a published post edited) although a blocklist term
# asks moderators to look at it, after the transaction commits. Arguments: post, note (the
# terms it met).
post_needs_review = Signal()
