/** The overlay window: highlights over the captured window and the help panel beside it. */
import { createRoot } from 'react-dom/client';
import '../common/base.css';
import './Overlay.css';
import { OverlayApp } from './OverlayApp';

createRoot(document.getElementById('root')!).render(<OverlayApp />);
