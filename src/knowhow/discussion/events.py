"""Named events of the discussion; side effects such as reply emails subscribe to them."""

from django.dispatch import Signal

# Sent once a post becomes visible to everyone (posted, or approved by a moderator), after
# the transaction that made it so has committed. Arguments: post.
post_published = Signal()
